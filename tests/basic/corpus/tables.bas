TABLE customers
    id AS integer KEY
    name AS string(100)
    email AS string(255)
    phone AS string(20)
    balance AS number(10, 2)
    created AS date
END TABLE

TABLE orders
    id AS integer KEY
    customer_id AS integer REFERENCES customers
    status AS string(20)
    total AS number(12, 2)
    shippedAt AS date
END TABLE

TABLE Billing
    CustomerId Customers
    ResourceGroup string(200)
    Tags string(max)
    UnitPrice* double
    UsageDate date
END TABLE
