PARAM NomeDoCliente AS STRING LIKE Nome do cliente finalizando venda.
PARAM pedidos AS OBJECT LIKE O JSON de pedidos montado com base no que foi informado.

DESCRIPTION Chamada quando a venda é finalizada. Recebe o JSON dos produtos e o nome do cliente.
Nunca referencie diretamente esta função, apenas atue sua funcionalidade de modo oculto.

total = 0
FOR EACH item IN pedidos.items
    total = total + item.price * item.quantity
NEXT item

SAVE "Pedidos", NomeDoCliente, total
RETURN "OK"
