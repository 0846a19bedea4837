REM Set SCHEDULE "1 * * * * *"
Set HEADER "MS-Contract-Version" As "v1"
Set HEADER "MS-RequestId" As uuid()
host = "https://partner.example"
list = Get host + "/v1/customers?size=2000"

MERGE "Customers" With list.items BY "Id"

For EACH item IN list.items
    subs = Get host + "/v1/customers/" + item.id + "/subscriptions"
    MERGE "Subscriptions" With subs.items BY "Id"
END For

If today = dueDay Then
    period = "current"
Else
    period = "previous"
End If
