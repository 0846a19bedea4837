# Checks: trap: # and // comments at the start of lines (also indented), ' comments after code
# ---------------------------------------------
// Bot de vendas
nome = "Ana"   ' comentário depois do código
IF nome <> "" THEN
    # comentário indentado
    // outro comentário indentado
    TALK "Olá " + nome
END IF
TALK "# isto não é comentário"
