"""The catalog's rules that a caller may meet, one class each; their HTTP status comes from kubeshop.errors."""

from kubeshop.errors import Conflict


class InsufficientStock(Conflict, code="insufficient_stock"):
    """Fewer of a product are left than an order wants."""

    product_id: int
    wanted: int
    left: int


class ProductOffSale(Conflict, code="product_off_sale"):
    """The product is not (or no longer) for sale."""

    product_id: int


class StockReleased(Conflict, code="stock_released"):
    """The order gave its stock back (it was compensated); a late reservation of it is refused."""

    order_id: str


class StockChanged(Conflict, code="stock_changed"):
    """Sales changed a product's stock while staff were counting it; nothing was saved."""

    product_id: int
