' Checks: trap: SAVE "t", v1, v2 matches the variables to columns by name (case folded)
nome = "Ana"
Email = "ana@corp.example"
SAVE "contatos", nome, Email
rows = FIND "contatos"
TALK rows[0].email
