PARAM name AS string LIKE "Abreu Silva" DESCRIPTION "Required full name of the individual."
PARAM birthday AS date LIKE "23/09/2001" DESCRIPTION "Birth date in DD/MM/YYYY format."
PARAM email AS string LIKE "abreu.silva@example.com" DESCRIPTION "E-mail for contact."
PARAM personalid AS integer LIKE "12345678900" DESCRIPTION "Personal ID (only numbers)."

DESCRIPTION  "Called when the user wants to enrol. Confirm the details and say the request was submitted."

id = GUID()
SAVE "enrollments.csv", id, name, birthday, email, personalid
TALK "Thank you, ${name}! Your enrollment number is ${id}."
RETURN id
