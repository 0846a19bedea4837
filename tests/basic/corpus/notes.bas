This package answers questions about ACME bicycles
Maintained by the support team
