"""The catalog's rules that a caller may meet, one class each; their HTTP status comes from kubeshop.errors."""

from kubeshop.errors import Conflict


class InsufficientStock(Conflict):
    """Fewer of a product are left than an order wants."""

    code = "insufficient_stock"
    product_id: int
    wanted: int
    left: int


class ProductOffSale(Conflict):
    """The product is not (or no longer) for sale."""

    code = "product_off_sale"
    product_id: int


class StockReleased(Conflict):
    """The order gave its stock back (it was compensated); a late reservation of it is refused."""

    code = "stock_released"
    order_id: str


class StockChanged(Conflict):
    """Sales changed a product's stock while staff were counting it; nothing was saved."""

    code = "stock_changed"
    product_id: int
