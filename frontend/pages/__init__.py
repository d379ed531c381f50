"""The storefront's server-rendered pages: thin views over frontend.storefront and the apps' clients."""
