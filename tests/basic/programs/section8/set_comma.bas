SET role, "admin"
TALK "role: " + role
