"""A check of the everyday models on sentences written for this project, independently
of any training corpus: (English source, French reference, German reference), and the
same sentences in Hindi.

Tatoeba's own test split measures the models on sentences of the same collection (the
same contributors, the same phrasings); these measure whether the models generalise to
everyday sentences someone else wrote.  One reference each, so BLEU here is low and
noisy (40 sentences); chrF and the outputs themselves say more.  Never trained on.
"""

from __future__ import annotations

EVERYDAY = [
    ("Where is the train station?", "Où est la gare ?", "Wo ist der Bahnhof?"),
    (
        "I would like a cup of coffee, please.",
        "Je voudrais une tasse de café, s'il vous plaît.",
        "Ich hätte gern eine Tasse Kaffee, bitte.",
    ),
    (
        "My sister lives in a small town near the sea.",
        "Ma sœur habite dans une petite ville près de la mer.",
        "Meine Schwester wohnt in einer kleinen Stadt am Meer.",
    ),
    (
        "We are going to the cinema tonight.",
        "Nous allons au cinéma ce soir.",
        "Wir gehen heute Abend ins Kino.",
    ),  # fmt: skip
    (
        "The children are playing in the garden.",
        "Les enfants jouent dans le jardin.",
        "Die Kinder spielen im Garten.",
    ),  # fmt: skip
    (
        "Can you help me carry these boxes?",
        "Peux-tu m'aider à porter ces boîtes ?",
        "Kannst du mir helfen, diese Kisten zu tragen?",
    ),
    (
        "I forgot my keys at the office.",
        "J'ai oublié mes clés au bureau.",
        "Ich habe meine Schlüssel im Büro vergessen.",
    ),  # fmt: skip
    (
        "It is raining, so take an umbrella.",
        "Il pleut, alors prends un parapluie.",
        "Es regnet, also nimm einen Regenschirm mit.",
    ),  # fmt: skip
    (
        "He reads a book every evening before he sleeps.",
        "Il lit un livre chaque soir avant de dormir.",
        "Er liest jeden Abend ein Buch, bevor er schläft.",
    ),
    (
        "The shop closes at seven o'clock.",
        "Le magasin ferme à sept heures.",
        "Der Laden schließt um sieben Uhr.",
    ),  # fmt: skip
    (
        "How much does this bicycle cost?",
        "Combien coûte ce vélo ?",
        "Wie viel kostet dieses Fahrrad?",
    ),  # fmt: skip
    (
        "I don't understand this question.",
        "Je ne comprends pas cette question.",
        "Ich verstehe diese Frage nicht.",
    ),  # fmt: skip
    (
        "Please close the window, it is cold.",
        "Ferme la fenêtre, s'il te plaît, il fait froid.",
        "Mach bitte das Fenster zu, es ist kalt.",
    ),
    (
        "My father cooks dinner on Sundays.",
        "Mon père prépare le dîner le dimanche.",
        "Mein Vater kocht sonntags das Abendessen.",
    ),  # fmt: skip
    (
        "She has been learning French for two years.",
        "Elle apprend le français depuis deux ans.",
        "Sie lernt seit zwei Jahren Französisch.",
    ),
    (
        "The doctor told me to rest.",
        "Le médecin m'a dit de me reposer.",
        "Der Arzt hat mir gesagt, dass ich mich ausruhen soll.",
    ),  # fmt: skip
    (
        "We missed the last bus.",
        "Nous avons raté le dernier bus.",
        "Wir haben den letzten Bus verpasst.",
    ),  # fmt: skip
    ("Do you want to come with us?", "Veux-tu venir avec nous ?", "Willst du mit uns kommen?"),
    ("The water is too hot.", "L'eau est trop chaude.", "Das Wasser ist zu heiß."),
    (
        "I need to buy bread and milk.",
        "Je dois acheter du pain et du lait.",
        "Ich muss Brot und Milch kaufen.",
    ),  # fmt: skip
    (
        "Our teacher is very patient.",
        "Notre professeur est très patient.",
        "Unser Lehrer ist sehr geduldig.",
    ),  # fmt: skip
    (
        "They arrived late because of the traffic.",
        "Ils sont arrivés en retard à cause des embouteillages.",
        "Sie kamen wegen des Verkehrs zu spät.",
    ),
    (
        "Turn left after the bridge.",
        "Tournez à gauche après le pont.",
        "Biegen Sie nach der Brücke links ab.",
    ),  # fmt: skip
    (
        "I have never been to Japan.",
        "Je ne suis jamais allé au Japon.",
        "Ich war noch nie in Japan.",
    ),  # fmt: skip
    (
        "The meeting starts tomorrow morning.",
        "La réunion commence demain matin.",
        "Die Besprechung beginnt morgen früh.",
    ),  # fmt: skip
    (
        "This soup needs more salt.",
        "Cette soupe a besoin de plus de sel.",
        "Diese Suppe braucht mehr Salz.",
    ),  # fmt: skip
    (
        "Could you speak more slowly?",
        "Pourriez-vous parler plus lentement ?",
        "Könnten Sie langsamer sprechen?",
    ),  # fmt: skip
    (
        "My phone is not working.",
        "Mon téléphone ne marche pas.",
        "Mein Handy funktioniert nicht.",
    ),  # fmt: skip
    (
        "We will visit our grandparents next week.",
        "Nous rendrons visite à nos grands-parents la semaine prochaine.",
        "Wir besuchen nächste Woche unsere Großeltern.",
    ),
    (
        "The dog sleeps under the table.",
        "Le chien dort sous la table.",
        "Der Hund schläft unter dem Tisch.",
    ),  # fmt: skip
    (
        "I am tired and I want to go home.",
        "Je suis fatigué et je veux rentrer à la maison.",
        "Ich bin müde und will nach Hause gehen.",
    ),
    ("Open the door, please.", "Ouvre la porte, s'il te plaît.", "Mach bitte die Tür auf."),
    ("What time is it?", "Quelle heure est-il ?", "Wie spät ist es?"),
    (
        "The museum is closed on Mondays.",
        "Le musée est fermé le lundi.",
        "Das Museum ist montags geschlossen.",
    ),  # fmt: skip
    (
        "He lost his wallet on the train.",
        "Il a perdu son portefeuille dans le train.",
        "Er hat seine Brieftasche im Zug verloren.",
    ),  # fmt: skip
    (
        "I like to walk in the park in the morning.",
        "J'aime me promener dans le parc le matin.",
        "Ich gehe morgens gern im Park spazieren.",
    ),
    (
        "The car is parked in front of the house.",
        "La voiture est garée devant la maison.",
        "Das Auto steht vor dem Haus.",
    ),  # fmt: skip
    (
        "She writes a letter to her friend.",
        "Elle écrit une lettre à son amie.",
        "Sie schreibt ihrer Freundin einen Brief.",
    ),  # fmt: skip
    (
        "We should leave before it gets dark.",
        "Nous devrions partir avant qu'il fasse nuit.",
        "Wir sollten gehen, bevor es dunkel wird.",
    ),
    ("Thank you for your help.", "Merci pour ton aide.", "Danke für deine Hilfe."),
]
# The same sentences in Hindi (written for this project too), for en-hi and hi-en.
HINDI = [
    "रेलवे स्टेशन कहाँ है?",
    "कृपया मुझे एक कप कॉफ़ी दीजिए।",
    "मेरी बहन समुद्र के पास एक छोटे शहर में रहती है।",
    "हम आज रात सिनेमा जा रहे हैं।",
    "बच्चे बगीचे में खेल रहे हैं।",
    "क्या तुम ये डिब्बे उठाने में मेरी मदद कर सकते हो?",
    "मैं अपनी चाबियाँ दफ़्तर में भूल गया।",
    "बारिश हो रही है, इसलिए छाता ले लो।",
    "वह हर शाम सोने से पहले एक किताब पढ़ता है।",
    "दुकान सात बजे बंद होती है।",
    "यह साइकिल कितने की है?",
    "मुझे यह सवाल समझ नहीं आ रहा।",
    "कृपया खिड़की बंद कर दो, ठंड है।",
    "मेरे पिताजी रविवार को रात का खाना बनाते हैं।",
    "वह दो साल से फ़्रेंच सीख रही है।",
    "डॉक्टर ने मुझे आराम करने को कहा।",
    "हमारी आख़िरी बस छूट गई।",
    "क्या तुम हमारे साथ आना चाहते हो?",
    "पानी बहुत ज़्यादा गर्म है।",
    "मुझे ब्रेड और दूध खरीदना है।",
    "हमारे अध्यापक बहुत धैर्यवान हैं।",
    "ट्रैफ़िक की वजह से वे देर से पहुँचे।",
    "पुल के बाद बाएँ मुड़ो।",
    "मैं कभी जापान नहीं गया।",
    "मीटिंग कल सुबह शुरू होगी।",
    "इस सूप में और नमक चाहिए।",
    "क्या आप थोड़ा धीरे बोल सकते हैं?",
    "मेरा फ़ोन काम नहीं कर रहा है।",
    "हम अगले हफ़्ते अपने दादा-दादी से मिलने जाएँगे।",
    "कुत्ता मेज़ के नीचे सोता है।",
    "मैं थक गया हूँ और घर जाना चाहता हूँ।",
    "कृपया दरवाज़ा खोलो।",
    "कितने बजे हैं?",
    "संग्रहालय सोमवार को बंद रहता है।",
    "उसका बटुआ ट्रेन में खो गया।",
    "मुझे सुबह पार्क में टहलना पसंद है।",
    "गाड़ी घर के सामने खड़ी है।",
    "वह अपनी सहेली को चिट्ठी लिखती है।",
    "अंधेरा होने से पहले हमें निकल जाना चाहिए।",
    "आपकी मदद के लिए धन्यवाद।",
]
COLUMN = {"en-fr": 1, "en-de": 2}


def everyday_pairs(pair: str) -> list[tuple[str, str]]:
    """(source, reference) of the check set for ``pair``; [] for pairs it does not cover."""
    english = [row[0] for row in EVERYDAY]
    if pair == "en-hi":
        return list(zip(english, HINDI, strict=True))
    if pair == "hi-en":
        return list(zip(HINDI, english, strict=True))
    if pair not in COLUMN:
        return []
    return [(row[0], row[COLUMN[pair]]) for row in EVERYDAY]
