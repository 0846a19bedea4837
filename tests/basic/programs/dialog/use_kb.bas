' Checks: USE KB "name" adds a knowledge base; CLEAR KB with and without a name; USE MODEL "alias"
USE KB "products"
USE KB "policies"
CLEAR KB "products"
CLEAR KB
USE MODEL "fast"
