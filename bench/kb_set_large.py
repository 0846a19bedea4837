"""The larger labelled set of ``bench/kb.py``: 46 short documents and 124 questions, split in two.

Documents: English and Portuguese, in several domains — customer policies (returns, warranty,
privacy, cookies, gift cards), shipping, billing, HR (leave, expenses, benefits, time sheets), IT
(VPN, laptops, passwords, printers), security, facilities, product manuals (a kettle, a robot
vacuum, a lamp, a stove, a fan, a torch), plans, and error codes of several shapes (``E1001``,
``NET-504``, ``C3300``, ``PIX-09``, ``S500``). Several documents are near neighbours on purpose
(returns / exchanges / cancellations / ticket refunds, the printer error / the printer badge,
phishing / the SMS-code scam, privacy / cookies / data protection), so a question can share
more words with a wrong document than with the right one.

Questions, by kind (``QUESTIONS`` maps each kind to (question, document) pairs):

- ``paraphrase_en`` / ``paraphrase_pt``: the question says in other words what one document
  says, sharing few words with it;
- ``identifier``: look-ups of an error code, a product, plan or client name (exact terms find them);
- ``distractor``: the question shares more words with a wrong document than with the right one;
- ``cross_language``: the question in one language, its document in the other.

**The split is fixed before any measurement**: within each kind, the questions at even positions
(0, 2, 4, ...) are the development half (``DEV``), those at odd positions the test half
(``TEST``). Ranking changes are tuned on ``DEV`` only; ``TEST`` is held out and only reported.
The set was written in one go, before any result was seen, and is not to be edited to make a
measurement come out better.

``HOLDOUT`` (at the end): 54 newer questions of the same kinds over the same documents, a held-out
list for the ranking chosen after the test half had been looked at (see there); ``HOLDOUT2``
(after it): 54 more, written once all four earlier lists had been looked at (see there);
``HOLDOUT3`` (after it): 54 more, written once ``HOLDOUT2`` had been looked at too (see there);
``HOLDOUT4`` (last): 54 more, written once ``HOLDOUT3`` had been looked at too (see there).
"""

DOCUMENTS = {
    # ------------------------------------------------------------------ English
    "returns-policy.md": "# Returns policy\nUnused items can be sent back within 30 days of delivery in their "
                         "original box. We refund the purchase price to the payment method used; the shipping "
                         "fee is not refunded.",
    "warranty.md": "# Warranty\nEvery device is covered for two years against manufacturing defects. Damage from "
                   "drops, water or unauthorised repairs is not covered. Keep the receipt as proof of purchase.",
    "shipping-international.md": "# International shipping\nWe ship to 40 countries. Customs duties and import "
                                 "taxes are charged by the destination country and paid by the recipient on "
                                 "arrival. Parcels abroad take 7 to 15 business days.",
    "shipping-tracking.md": "# Tracking an order\nWhen an order leaves the warehouse you receive an email with a "
                            "tracking number. Enter it on the carrier's site to see where the parcel is.",
    "privacy.md": "# Privacy\nWe keep personal data only as long as the account is active. You may ask for a copy "
                  "of your data or for its deletion by writing to the data protection officer.",
    "cookies.md": "# Cookies\nThe website stores small files in the browser to remember the language and the items "
                  "in the cart. Analytics cookies are set only after consent in the banner.",
    "hr-parental-leave.md": "# Parental leave\nA new mother receives sixteen weeks of paid leave and a new father "
                            "four weeks. Adoptive parents have the same rights from the day the child arrives.",
    "hr-sick-leave.md": "# Sick leave\nIf you are ill, tell your team lead before ten in the morning. Absences "
                        "longer than three days need a doctor's note sent to HR.",
    "hr-expenses.md": "# Travel expenses\nHotels, trains and meals on business trips are paid back after you "
                      "upload the receipts in the expenses tool within 30 days. Alcohol is never reimbursed.",
    "hr-remote-work.md": "# Working from home\nStaff may work from home up to three days a week once their "
                         "probation ends. The company pays for a chair and a second monitor.",
    "it-vpn.md": "# VPN\nTo reach internal systems from outside the office, start the GlobalConnect client and sign "
                 "in with your company account and the code from the authenticator app.",
    "it-laptop.md": "# Laptop replacement\nCompany laptops are replaced every four years. A broken screen or "
                    "keyboard is repaired by the IT desk on the third floor; bring the charger.",
    "error-e1001.md": "# Error E1001\nE1001 appears when the printer's paper tray is empty or not pushed in fully. "
                      "Refill the tray and close it until it clicks.",
    "error-e2045.md": "# Error E2045\nE2045 means the device overheated and switched itself off. Let it cool for "
                      "twenty minutes and keep the air vents free.",
    "error-net-504.md": "# Error NET-504\nNET-504 is shown when the server took too long to answer. Try again in a "
                        "few minutes; if it persists, check the status page.",
    "product-zephyr-kettle.md": "# Zephyr K3 kettle\nThe Zephyr K3 boils 1.7 litres in four minutes and switches "
                                "off automatically. Descale it once a month with white vinegar.",
    "product-orbit-vacuum.md": "# Orbit V8 robot vacuum\nThe Orbit V8 cleans for 120 minutes on one charge and "
                               "returns to its dock by itself. Empty the dust bin after every run.",
    "product-lumen-lamp.md": "# Lumen S2 desk lamp\nThe Lumen S2 has five brightness levels and a warm or cold "
                             "light setting. Touch the base for two seconds to switch modes.",
    "plan-nimbus.md": "# Nimbus plan\nThe Nimbus plan costs 12 euros a month for one user, with 50 GB of storage "
                      "and email support.",
    "security-phishing.md": "# Suspicious messages\nNever click links in messages that ask for your password or "
                            "bank details. Forward them to security@ and delete them.",
    "facilities-meeting-rooms.md": "# Meeting rooms\nRooms are booked in the calendar by adding the room as a "
                                   "guest. A booking that nobody checks in to within ten minutes is released.",
    "billing-late-payment.md": "# Late payment\nAn invoice unpaid 15 days after its due date adds a 2 % fee; after "
                               "45 days the service is suspended until the balance is settled.",
    "onboarding.md": "# First day\nOn your first day, collect your badge from reception at nine and meet your "
                     "buddy, who will show you the building and set up your accounts.",
    "gift-cards.md": "# Gift cards\nGift cards are valid for one year and can be spent online or in shops. They "
                     "cannot be exchanged for cash, and a lost card cannot be replaced.",
    # ------------------------------------------------------------------ Portuguese
    "politica-troca.md": "# Troca de produtos\nVocê pode trocar um produto por outro tamanho ou cor em até 7 dias "
                         "após o recebimento, desde que esteja com a etiqueta. A troca é feita em qualquer loja "
                         "física.",
    "garantia-estendida.md": "# Garantia estendida\nA garantia estendida acrescenta um ano à garantia do "
                             "fabricante e cobre consertos de defeitos elétricos. Ela precisa ser contratada "
                             "junto com a compra.",
    "frete-gratis.md": "# Frete grátis\nCompras acima de 200 reais não pagam frete para todo o Brasil. Abaixo "
                       "desse valor, o frete é calculado pelo CEP no carrinho.",
    "retirada-loja.md": "# Retirar na loja\nEscolha 'retirar na loja' no pagamento e busque o pedido em duas horas, "
                        "apresentando um documento com foto e o número do pedido.",
    "lgpd.md": "# Proteção de dados\nSeguimos a LGPD: o titular pode pedir a correção ou a exclusão dos seus dados "
               "pelo formulário de privacidade, e respondemos em até 15 dias.",
    "rh-vale-refeicao.md": "# Vale-refeição\nCada colaborador recebe 35 reais por dia útil trabalhado no cartão de "
                           "benefícios, creditado no quinto dia útil do mês.",
    "rh-plano-saude.md": "# Plano de saúde\nO plano de saúde cobre o colaborador e os dependentes sem custo; "
                         "consultas com especialistas não exigem encaminhamento.",
    "rh-ponto.md": "# Registro de ponto\nA jornada é registrada no aplicativo de ponto na entrada, no almoço e na "
                   "saída. Esquecimentos devem ser justificados ao gestor na mesma semana.",
    "rh-decimo-terceiro.md": "# Décimo terceiro salário\nO décimo terceiro é pago em duas parcelas: a primeira até "
                             "30 de novembro e a segunda até 20 de dezembro.",
    "ti-senha-expirada.md": "# Senha expirada\nA senha da rede expira a cada 90 dias. Para criar uma nova, "
                            "pressione Ctrl+Alt+Del no computador do escritório e escolha 'alterar senha'.",
    "ti-impressora.md": "# Impressoras\nAs impressoras do andar imprimem com o crachá: envie o arquivo, aproxime o "
                        "crachá do leitor e retire as folhas.",
    "erro-c3300.md": "# Erro C3300\nO erro C3300 aparece quando o cartão de crédito foi recusado pelo banco emissor "
                     "por falta de limite. Peça ao cliente outro meio de pagamento.",
    "erro-pix-09.md": "# Erro PIX-09\nPIX-09 indica que a chave Pix informada não existe ou foi digitada errada. "
                      "Confira a chave com o recebedor e tente de novo.",
    "erro-s500.md": "# Erro S500\nO código S500 significa que a balança está descalibrada. Retire todo o peso do "
                    "prato, desligue e ligue o aparelho segurando a tecla Tara.",
    "produto-aurora-fogao.md": "# Fogão Aurora 5Q\nO fogão Aurora 5Q tem cinco queimadores, forno de 90 litros com "
                               "luz interna e acendimento automático. Limpe as grelhas com água morna e sabão "
                               "neutro.",
    "produto-brisa-ventilador.md": "# Ventilador Brisa T40\nO ventilador Brisa T40 tem três velocidades, oscilação "
                                   "e timer de até oito horas. A grade frontal sai para limpeza girando no sentido "
                                   "anti-horário.",
    "produto-tocha-lanterna.md": "# Lanterna Tocha L1\nA lanterna Tocha L1 é à prova d'água até dois metros e a "
                                 "bateria dura doze horas. Carregue pela porta USB-C por três horas antes do "
                                 "primeiro uso.",
    "plano-cirrus.md": "# Plano Cirrus\nO plano Cirrus custa 89 reais por mês para até dez usuários, com 1 TB de "
                       "armazenamento e suporte por telefone.",
    "condominio-mudanca.md": "# Mudanças no condomínio\nMudanças só podem ser feitas de segunda a sábado, das 8h às "
                             "17h, com o elevador de serviço reservado na portaria com dois dias de antecedência.",
    "seguranca-golpe-sms.md": "# Golpe por mensagem\nNunca pedimos códigos de verificação por mensagem. Se alguém "
                              "pedir o código que chegou por SMS, não envie: é golpe.",
    "cancelamento-assinatura.md": "# Cancelar a assinatura\nA assinatura pode ser cancelada a qualquer momento na "
                                  "área do cliente, em Minha conta. O acesso continua até o fim do período já pago.",
    "reembolso-passagem.md": "# Reembolso de passagem\nPassagens canceladas com mais de sete dias de antecedência "
                             "são reembolsadas integralmente; depois disso, retemos 20 % como multa.",
}

QUESTIONS = {
    "paraphrase_en": [
        ("Can I send back a jacket I never wore?", "returns-policy.md"),
        ("My blender stopped working after a year, will you fix it for free?", "warranty.md"),
        ("Do I have to pay extra fees when my package arrives in Canada?", "shipping-international.md"),
        ("How can I see where my package is right now?", "shipping-tracking.md"),
        ("I want you to erase everything you know about me", "privacy.md"),
        ("Why does the site remember my language choice?", "cookies.md"),
        ("How much time off do I get when my baby is born?", "hr-parental-leave.md"),
        ("I woke up with a fever, who do I need to tell?", "hr-sick-leave.md"),
        ("Will the company pay me back for the taxi and dinner on a work trip?", "hr-expenses.md"),
        ("Can I do my job from my kitchen table some days?", "hr-remote-work.md"),
        ("How do I connect to the intranet while travelling?", "it-vpn.md"),
        ("My notebook's display cracked, where do I take it?", "it-laptop.md"),
        ("The appliance shut down because it got too hot", "error-e2045.md"),
        ("How long until the water is ready for tea?", "product-zephyr-kettle.md"),
        ("How long does the cleaning robot run before it needs power?", "product-orbit-vacuum.md"),
        ("Can I change the colour of the light on my reading lamp?", "product-lumen-lamp.md"),
        ("Cheapest subscription for a single person?", "plan-nimbus.md"),
        ("Someone emailed me asking for my bank login, what should I do?", "security-phishing.md"),
        ("How do I reserve a space for a team meeting?", "facilities-meeting-rooms.md"),
        ("What happens if I pay my bill a few weeks after it was due?", "billing-late-payment.md"),
        ("Who gives me my access card when I start?", "onboarding.md"),
        ("Can I turn a present voucher into money?", "gift-cards.md"),
        ("The machine won't print and says something about the drawer", "error-e1001.md"),
        ("The website says the server did not respond in time", "error-net-504.md"),
        ("Is a smashed phone covered if I dropped it?", "warranty.md"),
        ("How many weeks does a dad get after the birth?", "hr-parental-leave.md"),
        ("How often do we get new computers?", "it-laptop.md"),
        ("Do you deliver outside the country?", "shipping-international.md"),
        ("I must bring a note from my physician after how many days off?", "hr-sick-leave.md"),
        ("Does the company buy me furniture for my home office?", "hr-remote-work.md"),
        ("Which cookies need my permission?", "cookies.md"),
        ("What does a newcomer do in the morning of day one?", "onboarding.md"),
        ("Are vouchers still usable after twelve months?", "gift-cards.md"),
        ("The booked room was given to someone else because we were late", "facilities-meeting-rooms.md"),
    ],
    "paraphrase_pt": [
        ("Comprei uma camisa que ficou pequena, posso pegar outra maior?", "politica-troca.md"),
        ("Dá para aumentar o tempo de cobertura do aparelho?", "garantia-estendida.md"),
        ("Quanto preciso gastar para não pagar a entrega?", "frete-gratis.md"),
        ("Posso buscar minha compra pessoalmente?", "retirada-loja.md"),
        ("Quero que vocês apaguem minhas informações pessoais", "lgpd.md"),
        ("Quanto recebo por dia para almoçar?", "rh-vale-refeicao.md"),
        ("Meus filhos têm direito ao convênio médico?", "rh-plano-saude.md"),
        ("Esqueci de marcar a hora de chegada hoje, o que faço?", "rh-ponto.md"),
        ("Quando cai a gratificação de fim de ano?", "rh-decimo-terceiro.md"),
        ("O computador pede para trocar a palavra-chave, como faço?", "ti-senha-expirada.md"),
        ("Como pego as folhas que mandei imprimir?", "ti-impressora.md"),
        ("O banco não aprovou a compra do cliente por limite", "erro-c3300.md"),
        ("A transferência instantânea diz que o destinatário não foi encontrado", "erro-pix-09.md"),
        ("A balança está marcando o peso errado", "erro-s500.md"),
        ("Como limpo o fogão de cinco bocas?", "produto-aurora-fogao.md"),
        ("O ventilador desliga sozinho depois de um tempo?", "produto-brisa-ventilador.md"),
        ("Posso usar a lanterna na chuva?", "produto-tocha-lanterna.md"),
        ("Qual assinatura serve para uma equipe de dez pessoas?", "plano-cirrus.md"),
        ("Em que horário posso trazer os móveis para o apartamento novo?", "condominio-mudanca.md"),
        ("Uma pessoa pediu o número que recebi no celular, devo passar?", "seguranca-golpe-sms.md"),
        ("Como paro de pagar a mensalidade?", "cancelamento-assinatura.md"),
        ("Desisti da viagem, recebo o valor do bilhete de volta?", "reembolso-passagem.md"),
        ("Preciso levar algum documento para pegar o pedido?", "retirada-loja.md"),
        ("Consultas com cardiologista precisam de guia?", "rh-plano-saude.md"),
        ("De quanto em quanto tempo a senha do computador vence?", "ti-senha-expirada.md"),
        ("O benefício de alimentação entra em que dia?", "rh-vale-refeicao.md"),
        ("Quanto tempo leva para responderem meu pedido sobre meus dados?", "lgpd.md"),
        ("Quanto tempo a lanterna funciona com uma carga?", "produto-tocha-lanterna.md"),
        ("Se eu desistir do serviço perco o acesso na hora?", "cancelamento-assinatura.md"),
        ("O forno do fogão tem lâmpada?", "produto-aurora-fogao.md"),
        ("Quantas parcelas tem o 13º?", "rh-decimo-terceiro.md"),
        ("A mudança precisa ser avisada com quanto tempo?", "condominio-mudanca.md"),
        ("O reembolso da passagem tem multa se eu cancelar em cima da hora?", "reembolso-passagem.md"),
        ("Como o cliente descobre quanto vai pagar de entrega?", "frete-gratis.md"),
    ],
    "identifier": [
        ("E1001", "error-e1001.md"),
        ("what is error E2045", "error-e2045.md"),
        ("NET-504 error", "error-net-504.md"),
        ("erro C3300", "erro-c3300.md"),
        ("PIX-09", "erro-pix-09.md"),
        ("o que é o código S500?", "erro-s500.md"),
        ("Zephyr K3 capacity", "product-zephyr-kettle.md"),
        ("Orbit V8 battery", "product-orbit-vacuum.md"),
        ("Lumen S2 modes", "product-lumen-lamp.md"),
        ("Nimbus plan storage", "plan-nimbus.md"),
        ("GlobalConnect sign in", "it-vpn.md"),
        ("Aurora 5Q", "produto-aurora-fogao.md"),
        ("Brisa T40 timer", "produto-brisa-ventilador.md"),
        ("Tocha L1 carregamento", "produto-tocha-lanterna.md"),
        ("preço do plano Cirrus", "plano-cirrus.md"),
        ("LGPD", "lgpd.md"),
        ("How do I fix E2045 on my device?", "error-e2045.md"),
        ("The screen shows E1001, what now?", "error-e1001.md"),
        ("Apareceu C3300 na maquininha", "erro-c3300.md"),
        ("Pix deu PIX-09", "erro-pix-09.md"),
        ("How much does Nimbus cost?", "plan-nimbus.md"),
        ("Orbit V8 dock", "product-orbit-vacuum.md"),
        ("balança S500 tecla", "erro-s500.md"),
        ("NET-504 what to do", "error-net-504.md"),
        ("GlobalConnect", "it-vpn.md"),
        ("Lumen S2", "product-lumen-lamp.md"),
    ],
    "distractor": [
        ("I received an email with a tracking number, but the parcel is going abroad: how many business days "
         "will it take?", "shipping-international.md"),
        ("The kettle switched itself off, is it overheated? How often should I descale it?",
         "product-zephyr-kettle.md"),
        ("I forgot my password and the authenticator code, how do I sign in to the company account from outside "
         "the office?", "it-vpn.md"),
        ("A message asks me to click a link to confirm my booking of the meeting room; is it safe?",
         "security-phishing.md"),
        ("Do analytics on the website keep my personal data after I delete my account?", "privacy.md"),
        ("Comprei com frete grátis acima de 200 reais; posso trocar a cor do produto na loja física?",
         "politica-troca.md"),
        ("Meu pedido de retirada na loja: o cartão de crédito foi recusado por falta de limite, o que o cliente "
         "faz?", "erro-c3300.md"),
        ("Recebi um SMS com código para alterar a senha da rede; devo enviar para quem pediu?",
         "seguranca-golpe-sms.md"),
        ("Quero cancelar a passagem da viagem; recebo o valor integral?", "reembolso-passagem.md"),
        ("O elevador de serviço pode ser reservado para a entrega do fogão novo?", "condominio-mudanca.md"),
        ("My gift card was lost in the post; can you track and replace it?", "gift-cards.md"),
        ("How many days do I have to upload receipts for hotels?", "hr-expenses.md"),
        ("Is the shipping fee refunded when I return an item?", "returns-policy.md"),
        ("A garantia cobre o conserto do ventilador que caiu no chão?", "garantia-estendida.md"),
    ],
    "cross_language": [
        ("How do I release my print job at the office printer with my badge?", "ti-impressora.md"),
        ("Someone asked by chat for the verification code I got by text message", "seguranca-golpe-sms.md"),
        ("Can I swap shoes for another colour in a physical shop?", "politica-troca.md"),
        ("When is the thirteenth salary paid?", "rh-decimo-terceiro.md"),
        ("Is there free delivery for large orders in Brazil?", "frete-gratis.md"),
        ("Posso trabalhar de casa alguns dias por semana?", "hr-remote-work.md"),
        ("Quanto tempo de licença tem uma mãe quando o bebê nasce?", "hr-parental-leave.md"),
        ("O que acontece se eu pagar a fatura com atraso?", "billing-late-payment.md"),
        ("Como reservo uma sala de reunião?", "facilities-meeting-rooms.md"),
        ("Which hours can I move furniture into my building?", "condominio-mudanca.md"),
        ("Cartão-presente pode virar dinheiro?", "gift-cards.md"),
        ("If I cancel my flight ticket a week before, do I get all my money back?", "reembolso-passagem.md"),
        ("Quem paga os impostos de importação de uma encomenda internacional?", "shipping-international.md"),
        ("Does the health insurance cover my children?", "rh-plano-saude.md"),
        ("Como me conecto aos sistemas internos fora do escritório?", "it-vpn.md"),
        ("O que faço com um e-mail pedindo minha senha do banco?", "security-phishing.md"),
    ],
}


def split(half: int) -> list[tuple[str, str]]:
    """The questions at positions ``half``, ``half + 2``, ... of each kind (0: development, 1: test)."""
    return [pair for pairs in QUESTIONS.values() for pair in pairs[half::2]]


DEV = split(0)
TEST = split(1)


# ------------------------------------------------------------------------------ holdout
# A third, new held-out list (``bench/kb.py --set holdout``), over the same 46 documents. The test
# half above stopped being fully held out once one of its misses was studied (issue 17), so these
# questions were written afterwards, all in one go, after the ranking they are measured with was
# chosen on ``DEV`` and ``kb_set`` and committed, and before any of them was searched. Same kinds
# as above; none repeats a question of ``QUESTIONS``. Not to be tuned on or edited after the
# measurement.
HOLDOUT_QUESTIONS = {
    "paraphrase_en": [
        ("My package is stuck somewhere, how do I find out which city it is in?", "shipping-tracking.md"),
        ("I'd like a file with all the information your company holds on me", "privacy.md"),
        ("Do I need to say yes to the pop-up before you count my visits?", "cookies.md"),
        ("We are adopting a toddler next month; do we get time off like other parents?", "hr-parental-leave.md"),
        ("Can I claim the beer I had with a client at dinner?", "hr-expenses.md"),
        ("I'm still in my first months at the firm; can I work remotely yet?", "hr-remote-work.md"),
        ("The keys on my work computer stopped responding, who repairs it?", "it-laptop.md"),
        ("What do I use to remove limescale from the thing I boil water in?", "product-zephyr-kettle.md"),
        ("Does the robot cleaner go back to charge on its own?", "product-orbit-vacuum.md"),
        ("How do I make my reading light warmer or cooler?", "product-lumen-lamp.md"),
        ("If nobody shows up to the room we reserved, what happens to it?", "facilities-meeting-rooms.md"),
        ("My invoice is two months overdue, will you cut me off?", "billing-late-payment.md"),
        ("Who shows me around the place when I join?", "onboarding.md"),
        ("I misplaced the voucher my aunt gave me, can you issue another one?", "gift-cards.md"),
    ],
    "paraphrase_pt": [
        ("Ganhei uma calça no número errado, consigo outra numeração?", "politica-troca.md"),
        ("Quero mais um ano de proteção para a geladeira que estou comprando", "garantia-estendida.md"),
        ("A partir de que valor a entrega sai de graça?", "frete-gratis.md"),
        ("Comprei pelo site e quero buscar no balcão; em quanto tempo fica pronto?", "retirada-loja.md"),
        ("Quanto cai por dia no cartão de alimentação?", "rh-vale-refeicao.md"),
        ("Meu marido pode usar o convênio sem pagar nada?", "rh-plano-saude.md"),
        ("Onde eu anoto a hora em que saio para almoçar?", "rh-ponto.md"),
        ("Em que data chega a segunda parte do salário extra do fim do ano?", "rh-decimo-terceiro.md"),
        ("Como tiro a proteção da frente do ventilador para lavar?", "produto-brisa-ventilador.md"),
        ("Quanto tempo a lanterna fica na tomada antes de usar pela primeira vez?", "produto-tocha-lanterna.md"),
        ("Em quais dias da semana posso usar o elevador para levar meus móveis?", "condominio-mudanca.md"),
        ("Se eu encerrar meu plano hoje, ainda uso até o fim do mês?", "cancelamento-assinatura.md"),
        ("A maquininha diz que o cartão do cliente não tem saldo suficiente", "erro-c3300.md"),
        ("Qual botão eu seguro para zerar a balança?", "erro-s500.md"),
    ],
    "identifier": [
        ("E2045 cooling time", "error-e2045.md"),
        ("Zephyr K3 descaling", "product-zephyr-kettle.md"),
        ("Orbit V8 run time", "product-orbit-vacuum.md"),
        ("quantos usuários tem o Cirrus?", "plano-cirrus.md"),
        ("PIX-09 chave errada", "erro-pix-09.md"),
        ("NET-504 status page", "error-net-504.md"),
        ("Aurora 5Q forno", "produto-aurora-fogao.md"),
        ("What does C3300 mean?", "erro-c3300.md"),
        ("Brisa T40 limpeza", "produto-brisa-ventilador.md"),
    ],
    "distractor": [
        ("The tracking email never came and my parcel is held at customs; who pays the import tax?",
         "shipping-international.md"),
        ("My laptop switched itself off because it overheated; how long should I let it cool?", "error-e2045.md"),
        ("The IT desk on the third floor says my printer tray is not pushed in; what do I do?", "error-e1001.md"),
        ("I want to cancel my subscription: are the days already paid refunded like a returned item?",
         "cancelamento-assinatura.md"),
        ("A new father on sick leave: how many weeks does he get after the birth?", "hr-parental-leave.md"),
        ("Meu pedido de troca: a etiqueta saiu, ainda posso retirar na loja outro tamanho?", "politica-troca.md"),
        ("O cliente pagou com Pix no carrinho com frete grátis e apareceu que a chave não existe",
         "erro-pix-09.md"),
        ("The VPN code from the authenticator app expired; how do I create a new network password every 90 days?",
         "ti-senha-expirada.md"),
    ],
    "cross_language": [
        ("How long do you take to answer my request to correct my data?", "lgpd.md"),
        ("Which key do I hold while restarting the scale?", "erro-s500.md"),
        ("Does the stove light itself?", "produto-aurora-fogao.md"),
        ("On which day of the month is the meal allowance paid?", "rh-vale-refeicao.md"),
        ("Quanto tempo demora uma encomenda para outro país?", "shipping-international.md"),
        ("Posso pedir um monitor extra para trabalhar em casa?", "hr-remote-work.md"),
        ("Até que horas devo avisar meu líder que estou doente?", "hr-sick-leave.md"),
        ("Quantos litros cabem na chaleira?", "product-zephyr-kettle.md"),
        ("Quanto custa o plano de um usuário só, com 50 GB?", "plan-nimbus.md"),
    ],
}
HOLDOUT = [pair for pairs in HOLDOUT_QUESTIONS.values() for pair in pairs]


# ----------------------------------------------------------------------------- holdout2
# A fourth list (``bench/kb.py --set holdout2``), over the same 46 documents. By issue 17 item 8
# all of ``DEV``, ``TEST``, ``kb_set`` and ``HOLDOUT`` had been looked at, and the next ranking
# change was being chosen on all four together, so these were written in one go, after that change
# had been explored (offline) and before it was written into ``memory.ranking``, and committed before
# any of them was searched. Same kinds and proportions as ``HOLDOUT``; none repeats a question
# above. Not to be tuned on or edited after the measurement.
HOLDOUT2_QUESTIONS = {
    "paraphrase_en": [
        ("I changed my mind about an order, is there a deadline to give it back?", "returns-policy.md"),
        ("Spilled coffee on my headphones, will the guarantee pay for the repair?", "warranty.md"),
        ("Will the postman ask me for money when an order from you reaches Mexico?", "shipping-international.md"),
        ("The courier gave me a code; where do I type it to follow my box?", "shipping-tracking.md"),
        ("How long do you hang on to my details after I close my profile?", "privacy.md"),
        ("What are those little files your site leaves on my computer for?", "cookies.md"),
        ("I'm feeling unwell this morning, by what time must my manager know?", "hr-sick-leave.md"),
        ("Is there a time limit for claiming back what I spent on a work trip?", "hr-expenses.md"),
        ("I can't get into the internal tools from a hotel, what software do I need?", "it-vpn.md"),
        ("The gadget turned itself off and feels very warm, what now?", "error-e2045.md"),
        ("The page keeps loading and then says the server gave up waiting", "error-net-504.md"),
        ("How much does the single-user subscription cost each month?", "plan-nimbus.md"),
        ("A text pretending to be my bank wants my card number, should I reply?", "security-phishing.md"),
        ("Can I spend my present card on the website as well as in stores?", "gift-cards.md"),
    ],
    "paraphrase_pt": [
        ("O tênis não serviu; tenho quantos dias para levar numa loja e pegar outro?", "politica-troca.md"),
        ("Se o micro-ondas der curto depois do primeiro ano, o conserto sai de graça?", "garantia-estendida.md"),
        ("Meu carrinho deu 150 reais, vou pagar para receber em casa?", "frete-gratis.md"),
        ("O que eu mostro no balcão para levar a encomenda que comprei online?", "retirada-loja.md"),
        ("Como peço para corrigirem meu endereço no cadastro de vocês?", "lgpd.md"),
        ("Quanto ganho de auxílio para comida se trabalhar vinte dias no mês?", "rh-vale-refeicao.md"),
        ("Preciso de indicação do clínico para marcar um dermatologista?", "rh-plano-saude.md"),
        ("Saí mais cedo e não registrei, até quando posso explicar ao meu chefe?", "rh-ponto.md"),
        ("Meu acesso à rede parou de aceitar a palavra secreta de sempre, o que aconteceu?", "ti-senha-expirada.md"),
        ("Mandei um documento para imprimir, mas nada saiu; preciso passar meu cartão de funcionário?",
         "ti-impressora.md"),
        ("Quantas bocas tem o fogão e de que tamanho é o forno?", "produto-aurora-fogao.md"),
        ("Dá para programar o ventilador para desligar de madrugada?", "produto-brisa-ventilador.md"),
        ("Qual pacote serve para um escritório pequeno que precisa de muito espaço para arquivos?",
         "plano-cirrus.md"),
        ("Desmarquei a viagem na véspera; devolvem quanto do que paguei?", "reembolso-passagem.md"),
    ],
    "identifier": [
        ("E1001 tray", "error-e1001.md"),
        ("what does NET-504 mean", "error-net-504.md"),
        ("C3300 o que fazer", "erro-c3300.md"),
        ("S500 calibração", "erro-s500.md"),
        ("Lumen S2 brightness levels", "product-lumen-lamp.md"),
        ("Orbit V8 dust bin", "product-orbit-vacuum.md"),
        ("Tocha L1 bateria", "produto-tocha-lanterna.md"),
        ("GlobalConnect authenticator code", "it-vpn.md"),
        ("LGPD prazo de resposta", "lgpd.md"),
    ],
    "distractor": [
        ("I returned my order and the tracking email says it was delivered; when will the refund reach my payment "
         "method?", "returns-policy.md"),
        ("My team lead must hear from me before ten; is the meeting room I booked released if nobody checks in?",
         "facilities-meeting-rooms.md"),
        ("The robot vacuum returns to its dock by itself, but my company laptop's keyboard broke; who repairs it?",
         "it-laptop.md"),
        ("My gift card was bought 20 days ago; can I send it back within 30 days for a refund of the purchase "
         "price?", "gift-cards.md"),
        ("Sem a senha da rede eu uso o aplicativo de ponto; até quando justifico ao gestor que esqueci de marcar "
         "a saída?", "rh-ponto.md"),
        ("O frete calculado pelo CEP no carrinho ficou caro; tem como eu mesmo buscar?", "retirada-loja.md"),
        ("I sign in to the company account with the authenticator app: where do I forward a message asking for my "
         "password?", "security-phishing.md"),
        ("The email with the tracking number came, but the invoice for that order is still unpaid after its due "
         "date; what happens?", "billing-late-payment.md"),
    ],
    "cross_language": [
        ("How much is the meal card topped up per working day?", "rh-vale-refeicao.md"),
        ("Do I need a referral to see a specialist with the health plan?", "rh-plano-saude.md"),
        ("How often does my network password expire?", "ti-senha-expirada.md"),
        ("The instant payment says the key does not exist, what should I check?", "erro-pix-09.md"),
        ("Is the flashlight waterproof?", "produto-tocha-lanterna.md"),
        ("Posso devolver um produto sem uso e receber o dinheiro de volta?", "returns-policy.md"),
        ("A garantia cobre um aparelho que caiu na água?", "warranty.md"),
        ("Quanto tempo o robô aspirador funciona com a bateria cheia?", "product-orbit-vacuum.md"),
        ("Quando o bebê chega por adoção, os pais têm licença?", "hr-parental-leave.md"),
    ],
}
HOLDOUT2 = [pair for pairs in HOLDOUT2_QUESTIONS.values() for pair in pairs]


# ----------------------------------------------------------------------------- holdout3
# A fifth list (``bench/kb.py --set holdout3``), over the same 46 documents, written in one go by
# someone who had not seen any search result on it, before the next ranking change was chosen, and
# committed before any of its questions was searched. Same kinds and proportions as ``HOLDOUT`` and
# ``HOLDOUT2``; none repeats a question above. Not to be tuned on or edited after the measurement.
HOLDOUT3_QUESTIONS = {
    "paraphrase_en": [
        ("A repair shop down the road opened my hair dryer to fix it; will you still cover it?", "warranty.md"),
        ("Nothing has told me my order was dispatched yet; how will I hear once it has left your depot?",
         "shipping-tracking.md"),
        ("How does your shop still know what I put in my basket when I come back later?", "cookies.md"),
        ("My partner is expecting; how many paid weeks off will she get as the mum?", "hr-parental-leave.md"),
        ("I've had the flu since Monday and it's Friday now; what paperwork does HR want?", "hr-sick-leave.md"),
        ("How many days a week am I allowed to skip the commute and stay home?", "hr-remote-work.md"),
        ("Apart from my password, what else do I need to log in to the office systems from abroad?",
         "it-vpn.md"),
        ("What should I take with me when I drop off my damaged work notebook for repair?", "it-laptop.md"),
        ("How often should I tip out the robot cleaner's container?", "product-orbit-vacuum.md"),
        ("How do I cycle through the settings on my study light?", "product-lumen-lamp.md"),
        ("Do I invite the room to my calendar event the way I'd invite a colleague?",
         "facilities-meeting-rooms.md"),
        ("Is there a surcharge if I settle my bill three weeks after the deadline?", "billing-late-payment.md"),
        ("Who helps me get my logins working when I join the company?", "onboarding.md"),
        ("A friend gave me a shop voucher a while ago; when does it stop working?", "gift-cards.md"),
    ],
    "paraphrase_pt": [
        ("Preciso voltar à mesma loja onde comprei para pegar outro tamanho?", "politica-troca.md"),
        ("Esqueci de contratar a cobertura extra na hora da compra; dá para incluir depois?",
         "garantia-estendida.md"),
        ("Em que etapa da compra pelo site eu aviso que vou buscar pessoalmente?", "retirada-loja.md"),
        ("Qual lei vocês seguem para cuidar das minhas informações pessoais?", "lgpd.md"),
        ("O auxílio de comida é pago também nos sábados e domingos?", "rh-vale-refeicao.md"),
        ("O convênio médico da empresa é descontado do meu salário?", "rh-plano-saude.md"),
        ("Quantas vezes por dia tenho que marcar meu horário no app?", "rh-ponto.md"),
        ("Qual o prazo para pagarem a primeira metade do salário extra de Natal?", "rh-decimo-terceiro.md"),
        ("Que atalho de teclado uso para mudar a senha do PC da empresa?", "ti-senha-expirada.md"),
        ("O que preciso aproximar da máquina do andar para meu documento sair?", "ti-impressora.md"),
        ("Antes de religar a balança, tenho que tirar o que está em cima dela?", "erro-s500.md"),
        ("Que tipo de cabo uso para carregar a lanterna?", "produto-tocha-lanterna.md"),
        ("Domingo é permitido trazer o caminhão de mudança para o prédio?", "condominio-mudanca.md"),
        ("Faltam três dias para o voo e não vou mais; quanto do valor eu perco?", "reembolso-passagem.md"),
    ],
    "identifier": [
        ("my screen says E2045, is the device broken?", "error-e2045.md"),
        ("PIX-09 ao transferir", "erro-pix-09.md"),
        ("Zephyr K3 automatic switch off", "product-zephyr-kettle.md"),
        ("Nimbus plan email support", "plan-nimbus.md"),
        ("Aurora 5Q queimadores", "produto-aurora-fogao.md"),
        ("Brisa T40 tem oscilação?", "produto-brisa-ventilador.md"),
        ("Cirrus armazenamento", "plano-cirrus.md"),
        ("getting NET-504 when I save, is the server down?", "error-net-504.md"),
        ("C3300 no cartão do cliente", "erro-c3300.md"),
    ],
    "distractor": [
        ("I kept the receipt as proof of purchase, but I threw away the box; can I still send the unused device "
         "back for my money?", "returns-policy.md"),
        ("I accepted the analytics cookies in the banner and the cart keeps my items; who do I write to for a "
         "copy of the personal data you hold?", "privacy.md"),
        ("An email says my invoice is 45 days overdue and the service will be suspended unless I enter my bank "
         "details through its link; what do I do with it?", "security-phishing.md"),
        ("I work from home three days a week; when I take the train to visit a client, can I get the ticket "
         "paid back?", "hr-expenses.md"),
        ("I sent my file and held my badge to the floor printer's reader, but nothing came out and it says the "
         "tray is empty; what do I do?", "error-e1001.md"),
        ("Cancelando a assinatura com mais de sete dias de antecedência, o reembolso é integral ou eu só "
         "continuo usando até o fim do período pago?", "cancelamento-assinatura.md"),
        ("Para retirar na loja, me pediram por mensagem o número do pedido e o código que chegou por SMS; devo "
         "mandar?", "seguranca-golpe-sms.md"),
        ("Escolhi retirar na loja, mas prefiro receber em casa; num pedido de 250 reais eu pago a entrega?",
         "frete-gratis.md"),
    ],
    "cross_language": [
        ("Which subscription comes with support over the phone?", "plano-cirrus.md"),
        ("How many speeds does the fan have?", "produto-brisa-ventilador.md"),
        ("Where in my account area do I cancel my subscription?", "cancelamento-assinatura.md"),
        ("Does the extended warranty pay for repairs of electrical faults?", "garantia-estendida.md"),
        ("What should I wash the stove grates with?", "produto-aurora-fogao.md"),
        ("Para quantos países vocês enviam encomendas?", "shipping-international.md"),
        ("A cada quantos anos a empresa troca o notebook dos funcionários?", "it-laptop.md"),
        ("A partir de quantos dias sem pagar a fatura a conta fica suspensa?", "billing-late-payment.md"),
        ("O aparelho desligou de tão quente; o que devo deixar desobstruído para não acontecer de novo?",
         "error-e2045.md"),
    ],
}
HOLDOUT3 = [pair for pairs in HOLDOUT3_QUESTIONS.values() for pair in pairs]


# ----------------------------------------------------------------------------- holdout4
# A sixth list (``bench/kb.py --set holdout4``), over the same 46 documents, written in one go by
# someone who had not seen any search result on it, before the next ranking change was chosen, and
# committed before any of its questions was searched. Same kinds and proportions as ``HOLDOUT2`` and
# ``HOLDOUT3``; none repeats a question above. Not to be tuned on or edited after the measurement.
HOLDOUT4_QUESTIONS = {
    "paraphrase_en": [
        ("If I send something back, does the money go onto the card I paid with, or do I get store credit?",
         "returns-policy.md"),
        ("I'm ordering a present for my cousin in Japan; roughly how long should I allow for it to get there?",
         "shipping-international.md"),
        ("Do I look up my package's whereabouts on your website or on the delivery company's?",
         "shipping-tracking.md"),
        ("Is there a particular person at your company who handles requests about the information you keep "
         "on me?", "privacy.md"),
        ("I turned down the statistics pop-up; will the site still remember which language I picked?",
         "cookies.md"),
        ("We're expecting twins in the spring; how much paid time off will I get as their dad?",
         "hr-parental-leave.md"),
        ("If I'm only off ill for two days, do I still need to get a medical certificate?", "hr-sick-leave.md"),
        ("Where do I hand in the bills from my conference hotel to get my money back?", "hr-expenses.md"),
        ("Could I be based at home all five days of the week?", "hr-remote-work.md"),
        ("My work computer is three years old and sluggish; am I due for a new one yet?", "it-laptop.md"),
        ("What address should I pass a dodgy email on to before I bin it?", "security-phishing.md"),
        ("How late can we turn up to the room we reserved before we lose it?", "facilities-meeting-rooms.md"),
        ("Will someone be assigned to help me settle in when I start?", "onboarding.md"),
        ("Can you pay the leftover balance on my present card into my bank account?", "gift-cards.md"),
    ],
    "paraphrase_pt": [
        ("Recebi uma blusa azul e queria verde; ainda posso mudar se já arranquei a plaquinha?",
         "politica-troca.md"),
        ("A cobertura adicional vendida no caixa prolonga a do fabricante por quanto tempo?",
         "garantia-estendida.md"),
        ("Moro no interior do Amazonas; a entrega sem custo também vale para a minha região?", "frete-gratis.md"),
        ("Minha carteira de motorista serve de identificação para buscar a compra no balcão?",
         "retirada-loja.md"),
        ("Por qual canal eu solicito que removam o meu cadastro de vocês?", "lgpd.md"),
        ("Nas minhas férias continua caindo o dinheiro do almoço no cartão?", "rh-vale-refeicao.md"),
        ("O convênio médico da empresa cobra mensalidade de quem inclui a família?", "rh-plano-saude.md"),
        ("Como marco meus horários de trabalho: num relógio na parede ou pelo celular?", "rh-ponto.md"),
        ("Posso contar com a gratificação de Natal inteira já no começo de dezembro?", "rh-decimo-terceiro.md"),
        ("É verdade que a cada três meses tenho que inventar uma nova palavra de acesso à rede?",
         "ti-senha-expirada.md"),
        ("O que tenho que fazer, na ordem, para o meu arquivo sair em papel na máquina do andar?",
         "ti-impressora.md"),
        ("Preciso de fósforo para acender as bocas do fogão?", "produto-aurora-fogao.md"),
        ("Com quem falo para segurar o elevador de carga no dia em que vou me mudar?", "condominio-mudanca.md"),
        ("Se eu desistir do bilhete com duas semanas de folga, devolvem tudo?", "reembolso-passagem.md"),
    ],
    "identifier": [
        ("E1001 keeps coming back after I refill the paper", "error-e1001.md"),
        ("NET-504 how long should I wait before retrying", "error-net-504.md"),
        ("Zephyr K3 boiling time", "product-zephyr-kettle.md"),
        ("Orbit V8 manual", "product-orbit-vacuum.md"),
        ("is the Nimbus plan just for one user?", "plan-nimbus.md"),
        ("código C3300 na hora da venda", "erro-c3300.md"),
        ("o que significa PIX-09", "erro-pix-09.md"),
        ("apareceu S500 no visor da balança", "erro-s500.md"),
        ("quantas velocidades tem o Brisa T40", "produto-brisa-ventilador.md"),
    ],
    "distractor": [
        ("My robot vacuum stopped in the middle of a run, far from its dock, and it is hot to the touch; how "
         "long should I wait before turning it on again?", "error-e2045.md"),
        ("Now that my probation has ended I work from home three days a week; how do I get onto the company's "
         "network from there?", "it-vpn.md"),
        ("The refund for an item I returned hasn't reached my payment method yet, so I left your invoice unpaid; "
         "it is now 20 days past the due date: will I be charged extra?", "billing-late-payment.md"),
        ("I started the GlobalConnect client and signed in with my company account and the authenticator code, "
         "but the internal page gives up waiting for the server; what now?", "error-net-504.md"),
        ("My parcel to Germany takes 7 to 15 business days and the duties are paid on arrival; how can I follow "
         "where it is in the meantime?", "shipping-tracking.md"),
        ("Quero trocar minha assinatura de um usuário só por uma que aceite a equipe inteira, de oito pessoas; "
         "qual devo escolher?", "plano-cirrus.md"),
        ("Para cancelar minha assinatura na área do cliente, um atendente pediu por mensagem o código que chegou "
         "no meu celular; devo passar?", "seguranca-golpe-sms.md"),
        ("Troquei o secador por outra cor na loja física e, dois anos e meio depois, ele deu defeito elétrico; a "
         "cobertura extra que contratei na compra paga o conserto?", "garantia-estendida.md"),
    ],
    "cross_language": [
        ("How deep can I take the flashlight under water?", "produto-tocha-lanterna.md"),
        ("Can I end my subscription halfway through a billing period, or only when it renews?",
         "cancelamento-assinatura.md"),
        ("Do I have to record my hours when I leave for lunch too?", "rh-ponto.md"),
        ("A customer's credit card was refused by their bank; what should I offer them at the till?",
         "erro-c3300.md"),
        ("How soon after paying can I pick up my order in the shop?", "retirada-loja.md"),
        ("Preciso guardar o comprovante de compra para usar a garantia?", "warranty.md"),
        ("Quantos níveis de brilho tem a luminária de mesa?", "product-lumen-lamp.md"),
        ("No primeiro dia, a que horas pego meu crachá na recepção?", "onboarding.md"),
        ("A empresa reembolsa bebida alcoólica no jantar de uma viagem a trabalho?", "hr-expenses.md"),
    ],
}
HOLDOUT4 = [pair for pairs in HOLDOUT4_QUESTIONS.values() for pair in pairs]
