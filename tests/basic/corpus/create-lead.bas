PARAM name AS STRING LIKE "Maria Souza" DESCRIPTION "Lead name"
PARAM company AS STRING LIKE "ACME" DESCRIPTION "Company"
PARAM email AS STRING LIKE "maria@acme.example" DESCRIPTION "E-mail"
DESCRIPTION "Creates a lead in the CRM and notifies the sales team."

SET HEADER "Authorization", "Bearer " + GET BOT MEMORY("crm-token")
SET HEADER "Content-Type" AS "application/json"

lead = POST "https://crm.example/api/leads", {
    "name": name,
    "company": company,
    "email": email,
    "source": "chatbot",
    "tags": ["bot", "inbound"],
    "meta": {
        "createdAt": NOW(),
        "channel": channel ?? "web"
    }
}
CLEAR HEADERS

IF lead.id IS NOT NULL THEN
    SEND EMAIL "sales@acme.example", "New lead: " + name, "Company: " + company + "\nE-mail: " + email
    RETURN lead.id
ELSE
    THROW "CRM refused the lead"
END IF
