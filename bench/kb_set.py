"""The labelled set of ``bench/kb.py``: short documents (English and Portuguese) and questions.

Most questions are paraphrases that share few words with the right document and more with a
wrong one (a lexical matcher is led astray, a semantic one is not); the identifier look-ups (an
error code, a product or plan name) are the other way round: only exact terms find them.
``QUESTIONS`` pairs each question with the name of the document that answers it.
"""

DOCUMENTS = {
    "refunds.md": "# Refunds\nCustomers who are unhappy with a purchase can get their money back within 30 days. "
                  "The amount returns to the original card in five business days.",
    "shipping.md": "# Shipping\nOrders leave our warehouse within two days. Delivery to the customer's address "
                   "takes a week by standard post; the courier option arrives the next day.",
    "password.md": "# Account access\nIf you forgot your password, open the sign-in page and choose 'reset'. "
                   "We email a link that works for one hour.",
    "invoice.md": "# Invoices\nA tax receipt for each purchase is available under Billing. Companies can add "
                  "their VAT number before paying so it appears on the document.",
    "opening-hours.md": "# Store hours\nOur shops open at nine in the morning and close at six in the evening "
                        "from Monday to Saturday. On Sundays they stay closed.",
    "pets.md": "# Animals in the office\nDogs and cats may come to the office on Fridays if they are calm "
               "and vaccinated. Keep them away from the kitchen.",
    "vacation.md": "# Time off\nEmployees have twenty-two paid days of leave a year. Ask your manager at least "
                   "two weeks before the holiday.",
    "error-e4012.md": "# Error E4012\nE4012 means the payment gateway rejected the card because the security "
                      "code did not match. Ask the customer to type it again.",
    "product-gb-router-x2.md": "# GB Router X2\nThe GB Router X2 supports Wi-Fi 6, four gigabit ports and a "
                               "USB port for sharing a printer.",
    "plan-aurora.md": "# Aurora plan\nThe Aurora plan includes 500 GB of storage, ten users and priority support "
                      "for 49 euros a month.",
    "reembolso.md": "# Reembolso\nQuem não ficou satisfeito com uma compra recebe o dinheiro de volta em até "
                    "30 dias. O valor é estornado no cartão usado em cinco dias úteis.",
    "entrega.md": "# Entrega\nOs pedidos saem do depósito em dois dias. A encomenda chega ao endereço do "
                  "cliente em uma semana pelos Correios; a transportadora expressa entrega no dia seguinte.",
    "senha.md": "# Acesso à conta\nSe você esqueceu a senha, abra a página de login e escolha 'redefinir'. "
                "Enviamos um link por e-mail válido por uma hora.",
    "nota-fiscal.md": "# Nota fiscal\nA nota fiscal de cada compra fica disponível em Faturamento. Empresas "
                      "informam o CNPJ antes do pagamento para que ele saia no documento.",
    "horario.md": "# Horário das lojas\nAs lojas abrem às nove da manhã e fecham às seis da tarde, de segunda a "
                  "sábado. Aos domingos ficam fechadas.",
    "ferias.md": "# Férias\nCada funcionário tem trinta dias de descanso remunerado por ano. Combine com o seu "
                 "gestor com pelo menos um mês de antecedência.",
    "erro-p0231.md": "# Erro P0231\nO código P0231 indica que o boleto venceu antes da compensação. Gere uma nova "
                     "via com a data atualizada.",
    "plano-brisa.md": "# Plano Brisa\nO plano Brisa oferece 100 GB de armazenamento, três usuários e suporte por "
                      "e-mail por 19 reais ao mês.",
    "parking.md": "# Parking\nVisitors can leave the car in the garage under the building; the first two hours "
                  "are free with a stamped ticket from reception.",
    "wifi-guest.md": "# Guest network\nGuests connect to the network called GB-Guest; the password is printed "
                     "on the card at the front desk and changes every week.",
}

QUESTIONS = [
    # English paraphrases (few shared words with the right document)
    ("I regret buying this, how do I get reimbursed?", "refunds.md"),
    ("When will my parcel reach me?", "shipping.md"),
    ("I can't log in because I don't remember my secret word", "password.md"),
    ("Where can I download a fiscal document for what I bought?", "invoice.md"),
    ("Are you open on weekends? What time do the shops close?", "opening-hours.md"),
    ("Can I bring my puppy to work?", "pets.md"),
    ("How many holidays do staff get per year?", "vacation.md"),
    ("Where do I leave my vehicle when I visit?", "parking.md"),
    ("How do visitors get on the internet?", "wifi-guest.md"),
    # Portuguese paraphrases
    ("Me arrependi da compra, como peço meu dinheiro de volta?", "reembolso.md"),
    ("Quanto tempo demora para o pacote chegar na minha casa?", "entrega.md"),
    ("Não lembro minha senha, como entro na conta?", "senha.md"),
    ("Onde pego o comprovante fiscal do que comprei?", "nota-fiscal.md"),
    ("A loja funciona no domingo?", "horario.md"),
    ("Quantos dias de folga paga um empregado tem por ano?", "ferias.md"),
    # Cross-language: the question in one language, the answer in the other
    ("Posso levar meu cachorro para o escritório?", "pets.md"),
    ("How long does delivery take in Brazil by the Correios?", "entrega.md"),
    # Identifier look-ups (only exact terms find them)
    ("What does E4012 mean?", "error-e4012.md"),
    ("erro P0231", "erro-p0231.md"),
    ("How many ports does the GB Router X2 have?", "product-gb-router-x2.md"),
    ("Aurora plan price", "plan-aurora.md"),
    ("Quanto custa o plano Brisa?", "plano-brisa.md"),
    ("GB-Guest password", "wifi-guest.md"),
    # Distractor-heavy: more words in common with a wrong document
    ("My card was charged twice by mistake and I want the money returned", "refunds.md"),
    ("The courier never came; which day does standard post arrive?", "shipping.md"),
    ("Recebi um e-mail com link para a compra; como recebo o estorno?", "reembolso.md"),
]
