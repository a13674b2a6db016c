"""The ticket labels the mock knows, and what buyers write under them. The Ticket section prints three labels
("Return or Exchange", "Request Refund/Cancel Order: Request a Different Color" with its sublabel and
default_refund_reason '19', "Shipping Status or ETA Inquiry" with the subject "Where is my order?") and a
subject in the buyer's language ('Solicitar Reembolso/ Cancelar Pedido'); the rest follow the same pattern
("<label>: <sublabel>"), with the refund reason codes of supplement-merchant.md 2.7 (era B) where a label
implies one. Buyers write in their own language: `translated_message` is the English, `translated_message_zh`
the Chinese, as the docs' examples show."""

from __future__ import annotations

from dataclasses import dataclass, field

POST_PURCHASE = "post_purchase_tickets"
CUSTOMER_SUPPORT = "post_customer_support_questions"
PRE_PURCHASE = "pre_purchase_questions"
TICKET_TYPES = (POST_PURCHASE, CUSTOMER_SUPPORT, PRE_PURCHASE)
LOCALES = ("en", "pt", "es", "fr", "de")  # the languages buyers write in here
# the buyer's language by the country the order ships to (anything else: English)
COUNTRY_LOCALES = {"BR": "pt", "PT": "pt", "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es",
                   "FR": "fr", "BE": "fr", "LU": "fr", "DE": "de", "AT": "de", "CH": "de"}


@dataclass(frozen=True)
class Phrase:
    """A message in English, its Chinese translation, and the same message in the buyers' other languages."""

    en: str
    zh: str
    other: dict[str, str] = field(default_factory=dict)

    def said(self, locale: str) -> tuple[str, str, str]:
        """(message, translated_message, translated_message_zh) of a buyer writing in `locale`."""
        return self.other.get(locale, self.en), self.en, self.zh


@dataclass(frozen=True)
class Label:
    name: str
    ticket_type: str
    subject: dict[str, str]  # by buyer locale; "en" always
    opening: Phrase
    sublabel: str = ""
    default_refund_reason: str | None = None
    order_states: tuple[str, ...] = ()  # the orders it fits (pre-purchase questions have none)
    whole_transaction: bool = False  # items: every order of the transaction, not just the one asked about
    photo_share: float = 0.0  # how often the buyer attaches a photo

    def subject_in(self, locale: str) -> str:
        return self.subject.get(locale, self.subject["en"])


_REFUND_SUBJECT = {"en": "Request Refund/Cancel Order", "pt": "Solicitar Reembolso/ Cancelar Pedido",
                   "es": "Solicitar reembolso/Cancelar pedido", "fr": "Demander un remboursement/Annuler la commande",
                   "de": "Rückerstattung anfordern/Bestellung stornieren"}
SHIPPED, APPROVED, REVIEW, REFUNDED = "SHIPPED", "APPROVED", "REQUIRE_REVIEW", "REFUNDED"


def _refund(sublabel: str, reason: str, states: tuple[str, ...], opening: Phrase, photo: float = 0.0) -> Label:
    return Label(f"Request Refund/Cancel Order: {sublabel}", POST_PURCHASE, _REFUND_SUBJECT, opening, sublabel,
                 reason, states, photo_share=photo)


LABELS: tuple[Label, ...] = (
    Label("Shipping Status or ETA Inquiry", POST_PURCHASE,
          {"en": "Where is my order?", "pt": "Onde está meu pedido?", "es": "¿Dónde está mi pedido?",
           "fr": "Où est ma commande ?", "de": "Wo ist meine Bestellung?"},
          Phrase("I ordered this weeks ago and it still has not arrived. When will it be delivered?",
                 "我几周前就下单了，但还没有收到。什么时候能送到？",
                 {"pt": "Comprei isso há semanas e ainda não chegou. Quando vai ser entregue?",
                  "es": "Lo pedí hace semanas y todavía no ha llegado. ¿Cuándo lo entregarán?",
                  "fr": "J'ai commandé il y a des semaines et je n'ai toujours rien reçu. Quand sera-t-il livré ?",
                  "de": "Ich habe vor Wochen bestellt und es ist immer noch nicht angekommen. Wann wird es "
                        "geliefert?"}),
          order_states=(SHIPPED, APPROVED), whole_transaction=True),
    Label("Return or Exchange", POST_PURCHASE,
          {"en": "Return or Exchange", "pt": "Devolução ou Troca", "es": "Devolución o cambio",
           "fr": "Retour ou échange", "de": "Rückgabe oder Umtausch"},
          Phrase("The item is not what I expected. Can I return it or exchange it for another one?",
                 "商品与我的预期不符。我可以退货或换货吗？",
                 {"pt": "O produto não é o que eu esperava. Posso devolver ou trocar por outro?",
                  "es": "El artículo no es lo que esperaba. ¿Puedo devolverlo o cambiarlo por otro?",
                  "fr": "L'article ne correspond pas à ce que j'attendais. Puis-je le retourner ou l'échanger ?",
                  "de": "Der Artikel ist nicht wie erwartet. Kann ich ihn zurückgeben oder umtauschen?"}),
          order_states=(SHIPPED, REFUNDED), photo_share=0.5),
    _refund("Request a Different Color", "19", (APPROVED, REVIEW), Phrase(
        "I chose the wrong color. Please cancel my order or send me a different color.",
        "我选错了颜色。请取消我的订单或给我换一个颜色。",
        {"pt": "Escolhi a cor errada. Por favor cancele meu pedido ou me envie outra cor.",
         "es": "Elegí el color equivocado. Por favor cancelen mi pedido o envíenme otro color.",
         "fr": "J'ai choisi la mauvaise couleur. Merci d'annuler ma commande ou de m'envoyer une autre couleur.",
         "de": "Ich habe die falsche Farbe gewählt. Bitte stornieren Sie meine Bestellung oder schicken Sie mir "
               "eine andere Farbe."})),
    _refund("Placed Order by Mistake", "18", (APPROVED, REVIEW), Phrase(
        "I placed this order by mistake. Please cancel it and refund me.",
        "我误下了这个订单。请取消并给我退款。",
        {"pt": "Fiz este pedido por engano. Por favor cancele e me reembolse.",
         "es": "Hice este pedido por error. Por favor cancélenlo y devuélvanme el dinero.",
         "fr": "J'ai passé cette commande par erreur. Merci de l'annuler et de me rembourser.",
         "de": "Ich habe diese Bestellung aus Versehen aufgegeben. Bitte stornieren und erstatten Sie sie."})),
    _refund("Item Does Not Fit", "22", (SHIPPED,), Phrase(
        "The size is much too small, it does not fit at all. I want my refund.",
        "尺码太小了，根本穿不上。我要退款。",
        {"pt": "O tamanho é muito pequeno, não serve. Quero meu reembolso.",
         "es": "La talla es demasiado pequeña, no me queda. Quiero mi reembolso.",
         "fr": "La taille est beaucoup trop petite, ça ne me va pas du tout. Je veux être remboursé.",
         "de": "Die Größe ist viel zu klein, es passt überhaupt nicht. Ich möchte mein Geld zurück."}), 0.3),
    _refund("Item Arrived Damaged", "25", (SHIPPED,), Phrase(
        "The item arrived broken. I attached a photo. Please refund me or send a new one.",
        "商品到货时已损坏。我附上了照片。请给我退款或重新发货。",
        {"pt": "O produto chegou quebrado. Enviei uma foto. Por favor me reembolse ou envie outro.",
         "es": "El artículo llegó roto. Adjunto una foto. Por favor reembólsenme o envíen uno nuevo.",
         "fr": "L'article est arrivé cassé. J'ai joint une photo. Remboursez-moi ou envoyez-en un nouveau, "
               "s'il vous plaît.",
         "de": "Der Artikel kam kaputt an. Ich habe ein Foto angehängt. Bitte erstatten Sie mir den Betrag oder "
               "schicken Sie einen neuen."}), 1.0),
    _refund("Received Wrong Item", "23", (SHIPPED,), Phrase(
        "I received a completely different item from the one I ordered.",
        "我收到的商品和我订购的完全不一样。",
        {"pt": "Recebi um produto completamente diferente do que pedi.",
         "es": "Recibí un artículo completamente diferente al que pedí.",
         "fr": "J'ai reçu un article complètement différent de celui que j'ai commandé.",
         "de": "Ich habe einen völlig anderen Artikel erhalten als den, den ich bestellt habe."}), 0.8),
    _refund("Item Does Not Work as Described", "26", (SHIPPED,), Phrase(
        "It stopped working after two days. It does not work as described.",
        "用了两天就坏了。与描述不符。",
        {"pt": "Parou de funcionar depois de dois dias. Não funciona como descrito.",
         "es": "Dejó de funcionar después de dos días. No funciona como se describe.",
         "fr": "Il a cessé de fonctionner après deux jours. Il ne fonctionne pas comme décrit.",
         "de": "Es hat nach zwei Tagen aufgehört zu funktionieren. Es funktioniert nicht wie beschrieben."})),
    _refund("Shipping Taking Too Long", "20", (SHIPPED, APPROVED), Phrase(
        "Shipping is taking far too long. Please cancel and refund my order.",
        "运输时间太长了。请取消订单并退款。",
        {"pt": "A entrega está demorando demais. Por favor cancele e reembolse meu pedido.",
         "es": "El envío está tardando demasiado. Por favor cancelen y reembolsen mi pedido.",
         "fr": "La livraison prend beaucoup trop de temps. Merci d'annuler et de rembourser ma commande.",
         "de": "Der Versand dauert viel zu lange. Bitte stornieren und erstatten Sie meine Bestellung."})),
    Label("Change Shipping Address", POST_PURCHASE,
          {"en": "Change my shipping address", "pt": "Alterar meu endereço de entrega",
           "es": "Cambiar mi dirección de envío", "fr": "Modifier mon adresse de livraison",
           "de": "Lieferadresse ändern"},
          Phrase("I moved last week. Can you ship my order to my new address instead?",
                 "我上周搬家了。可以把订单寄到我的新地址吗？",
                 {"pt": "Mudei de casa na semana passada. Vocês podem enviar meu pedido para o novo endereço?",
                  "es": "Me mudé la semana pasada. ¿Pueden enviar mi pedido a mi nueva dirección?",
                  "fr": "J'ai déménagé la semaine dernière. Pouvez-vous envoyer ma commande à ma nouvelle adresse ?",
                  "de": "Ich bin letzte Woche umgezogen. Können Sie meine Bestellung an meine neue Adresse "
                        "schicken?"}),
          order_states=(APPROVED, REVIEW)),
    Label("Refund Status Inquiry", POST_PURCHASE,
          {"en": "Where is my refund?", "pt": "Onde está meu reembolso?", "es": "¿Dónde está mi reembolso?",
           "fr": "Où est mon remboursement ?", "de": "Wo ist meine Rückerstattung?"},
          Phrase("My order was cancelled but I have not received my refund yet.",
                 "我的订单已取消，但我还没有收到退款。",
                 {"pt": "Meu pedido foi cancelado mas ainda não recebi meu reembolso.",
                  "es": "Mi pedido fue cancelado pero todavía no he recibido mi reembolso.",
                  "fr": "Ma commande a été annulée mais je n'ai toujours pas reçu mon remboursement.",
                  "de": "Meine Bestellung wurde storniert, aber ich habe meine Rückerstattung noch nicht erhalten."}),
          order_states=(REFUNDED,)),
    Label("Customer Support: Tracking Not Updating", CUSTOMER_SUPPORT,
          {"en": "My tracking number has not updated", "pt": "Meu rastreamento não atualiza",
           "es": "Mi número de seguimiento no se actualiza", "fr": "Mon suivi ne se met pas à jour",
           "de": "Meine Sendungsverfolgung wird nicht aktualisiert"},
          Phrase("Wish support told me to contact you: the tracking number has shown no update for ten days.",
                 "Wish客服让我联系您：追踪号码已经十天没有更新了。",
                 {"pt": "O suporte da Wish me pediu para falar com vocês: o rastreamento não atualiza há dez dias.",
                  "es": "El soporte de Wish me pidió que los contactara: el número de seguimiento no se actualiza "
                        "desde hace diez días.",
                  "fr": "Le support Wish m'a demandé de vous contacter : le numéro de suivi n'a pas bougé depuis "
                        "dix jours.",
                  "de": "Der Wish-Support hat mich an Sie verwiesen: Die Sendungsnummer zeigt seit zehn Tagen keine "
                        "Aktualisierung."}),
          sublabel="Tracking Not Updating", order_states=(SHIPPED,), whole_transaction=True),
    Label("Customer Support: Missing Items in Package", CUSTOMER_SUPPORT,
          {"en": "Items missing from my package", "pt": "Faltam itens no meu pacote",
           "es": "Faltan artículos en mi paquete", "fr": "Il manque des articles dans mon colis",
           "de": "In meinem Paket fehlen Artikel"},
          Phrase("I ordered three pieces but the package only had one inside.",
                 "我订购了三件，但包裹里只有一件。",
                 {"pt": "Pedi três unidades mas o pacote só tinha uma.",
                  "es": "Pedí tres piezas pero el paquete solo traía una.",
                  "fr": "J'ai commandé trois pièces mais le colis n'en contenait qu'une.",
                  "de": "Ich habe drei Stück bestellt, aber im Paket war nur eines."}),
          sublabel="Missing Items in Package", default_refund_reason="33", order_states=(SHIPPED,),
          photo_share=0.5),
    Label("Customer Support: Marked Delivered But Not Received", CUSTOMER_SUPPORT,
          {"en": "Marked as delivered but I did not receive it", "pt": "Consta como entregue mas não recebi",
           "es": "Figura como entregado pero no lo recibí", "fr": "Indiqué comme livré mais je ne l'ai pas reçu",
           "de": "Als zugestellt markiert, aber nicht erhalten"},
          Phrase("The tracking says delivered, but nothing came to my address.",
                 "物流显示已送达，但我的地址什么都没收到。",
                 {"pt": "O rastreamento diz entregue, mas nada chegou no meu endereço.",
                  "es": "El seguimiento dice entregado, pero no llegó nada a mi dirección.",
                  "fr": "Le suivi indique livré, mais rien n'est arrivé à mon adresse.",
                  "de": "Laut Sendungsverfolgung zugestellt, aber an meiner Adresse ist nichts angekommen."}),
          sublabel="Marked Delivered But Not Received", default_refund_reason="35", order_states=(SHIPPED,)),
    Label("Pre-Purchase Question: Size and Fit", PRE_PURCHASE,
          {"en": "What size should I order?", "pt": "Qual tamanho devo pedir?", "es": "¿Qué talla debo pedir?",
           "fr": "Quelle taille dois-je commander ?", "de": "Welche Größe soll ich bestellen?"},
          Phrase("I usually wear a medium. Does this run small, or should I order a large?",
                 "我通常穿M码。这款偏小吗，还是我应该买L码？",
                 {"pt": "Eu normalmente uso M. Este modelo é pequeno ou devo pedir G?",
                  "es": "Normalmente uso talla M. ¿Este modelo es pequeño o debo pedir una L?",
                  "fr": "Je porte habituellement du M. Est-ce que ça taille petit, ou dois-je prendre du L ?",
                  "de": "Ich trage normalerweise M. Fällt das klein aus, oder soll ich L bestellen?"}),
          sublabel="Size and Fit"),
    Label("Pre-Purchase Question: Shipping Time", PRE_PURCHASE,
          {"en": "How long does shipping take?", "pt": "Quanto tempo leva a entrega?",
           "es": "¿Cuánto tarda el envío?", "fr": "Quel est le délai de livraison ?",
           "de": "Wie lange dauert der Versand?"},
          Phrase("If I order today, how long will it take to arrive?",
                 "如果我今天下单，需要多久才能到？",
                 {"pt": "Se eu comprar hoje, quanto tempo demora para chegar?",
                  "es": "Si lo pido hoy, ¿cuánto tardará en llegar?",
                  "fr": "Si je commande aujourd'hui, combien de temps faudra-t-il pour le recevoir ?",
                  "de": "Wenn ich heute bestelle, wie lange dauert die Lieferung?"}),
          sublabel="Shipping Time"),
    Label("Pre-Purchase Question: Product Details", PRE_PURCHASE,
          {"en": "Question about this product", "pt": "Pergunta sobre este produto",
           "es": "Pregunta sobre este producto", "fr": "Question sur ce produit", "de": "Frage zu diesem Produkt"},
          Phrase("Is this made of real cotton? The description does not say.",
                 "这是纯棉的吗？描述里没有写。",
                 {"pt": "Isto é feito de algodão de verdade? A descrição não diz.",
                  "es": "¿Está hecho de algodón real? La descripción no lo dice.",
                  "fr": "Est-ce en vrai coton ? La description ne le précise pas.",
                  "de": "Ist das aus echter Baumwolle? In der Beschreibung steht nichts dazu."}),
          sublabel="Product Details"),
)
BY_NAME = {label.name: label for label in LABELS}


def of_type(ticket_type: str) -> list[Label]:
    return [label for label in LABELS if label.ticket_type == ticket_type]


def fitting(ticket_type: str, order_state: str) -> list[Label]:
    """The labels of `ticket_type` a buyer may choose for an order in `order_state`."""
    return [label for label in of_type(ticket_type) if order_state in label.order_states]


# what a buyer writes back once the merchant answered (about an order; about a product before buying)
FOLLOW_UPS: tuple[Phrase, ...] = (
    Phrase("Please send me a replacement, thank you.", "请给我寄一个替换品，谢谢。",
           {"pt": "Por favor me envie um substituto, obrigado.",
            "es": "Por favor envíenme un reemplazo, gracias.",
            "fr": "Merci de m'envoyer un article de remplacement.",
            "de": "Bitte schicken Sie mir einen Ersatz, danke."}),
    Phrase("I would prefer a full refund.", "我更希望全额退款。",
           {"pt": "Prefiro o reembolso total.", "es": "Prefiero un reembolso completo.",
            "fr": "Je préfère un remboursement complet.", "de": "Mir wäre eine volle Rückerstattung lieber."}),
    Phrase("Thank you. Please let me know as soon as possible.", "谢谢。请尽快告诉我。",
           {"pt": "Obrigado. Por favor me avise o quanto antes.",
            "es": "Gracias. Avísenme lo antes posible, por favor.",
            "fr": "Merci. Tenez-moi au courant dès que possible.",
            "de": "Danke. Bitte geben Sie mir so schnell wie möglich Bescheid."}),
)
QUESTION_FOLLOW_UPS: tuple[Phrase, ...] = (
    Phrase("Thanks! Does it also come in other colors?", "谢谢！还有其他颜色吗？",
           {"pt": "Obrigado! Também tem em outras cores?", "es": "¡Gracias! ¿También viene en otros colores?",
            "fr": "Merci ! Existe-t-il aussi en d'autres couleurs ?",
            "de": "Danke! Gibt es das auch in anderen Farben?"}),
    Phrase("Thank you, I will order it then.", "谢谢，那我就下单了。",
           {"pt": "Obrigado, então vou fazer o pedido.", "es": "Gracias, entonces lo pediré.",
            "fr": "Merci, je vais donc le commander.", "de": "Danke, dann bestelle ich es."}),
)


def follow_ups(ticket_type: str) -> tuple[Phrase, ...]:
    return QUESTION_FOLLOW_UPS if ticket_type == PRE_PURCHASE else FOLLOW_UPS


THANKS = Phrase("Thank you, that solves my problem.", "谢谢，问题解决了。",
                {"pt": "Obrigado, isso resolve meu problema.", "es": "Gracias, eso resuelve mi problema.",
                 "fr": "Merci, cela règle mon problème.", "de": "Danke, damit ist mein Problem gelöst."})

# what the merchant's service team writes (in English, as the docs' example; no translations)
MERCHANT_REPLIES: tuple[str, ...] = (
    "Hello friend,\n\nSorry for the trouble. We checked with our shipping agent and your parcel is on its way. "
    "Please allow a few more days for delivery.\n\nBest regards,\n{store} Service Team",
    "Hello,\n\nWe are sorry to hear that. Would you like us to send you a new parcel, or do you prefer a full "
    "refund? Your reply will be highly appreciated, have a nice day :)\n\nRegards,\n{store} Service Team",
    "Hi, thank you for your message. We have looked into your request and will refund the order if the issue "
    "cannot be solved.\n\n{store} Service Team",
)
WISH_HAND_BACK = ("Hello, this is Wish Support. We have reviewed this ticket: please offer the customer a replacement "
                  "or a refund and reply to them directly.")
WISH_CLOSE = "Hello, this is Wish Support. The customer's issue has been resolved and this ticket is now closed."
AUTOMATED_CLOSE = "This ticket was closed automatically because the customer did not reply within 14 days."

# buyers of pre-purchase questions (no order names them): a name in their language
BUYER_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Emily Carter", "Jacob Miller", "Olivia Brooks", "Noah Bennett"),
    "pt": ("Ana Souza", "Lucas Oliveira", "Mariana Costa", "Pedro Santos"),
    "es": ("Lucía García", "Mateo Fernández", "Sofía Martínez", "Diego López"),
    "fr": ("Camille Martin", "Hugo Bernard", "Léa Dubois", "Louis Moreau"),
    "de": ("Lena Schmidt", "Jonas Müller", "Mia Schneider", "Felix Wagner"),
}
