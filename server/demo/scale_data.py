"""Names and texts for the synthetic region: fictional, in the scripts the first line meets."""

MUNICIPALITY_NAMES = (
    "Asse", "Zaventem", "Machelen", "Grimbergen", "Wemmel", "Sint-Pieters-Leeuw", "Beersel",
    "Drogenbos", "Linkebeek", "Kraainem", "Wezembeek-Oppem", "Tervuren", "Overijse",
    "Hoeilaart", "Sint-Genesius-Rode", "Merchtem", "Meise", "Kampenhout", "Steenokkerzeel",
    "Kortenberg", "Liedekerke", "Affligem", "Ternat", "Roosdaal", "Lennik", "Gooik", "Pepingen",
    "Galmaarden", "Herne", "Bever", "Opwijk", "Londerzeel", "Kapelle-op-den-Bos", "Zemst",
)
NEIGHBOURHOODS = ("Centrum", "Noord", "Zuid", "Oost", "West", "Stationswijk")
STREETS = ("Stationsstraat", "Kerkstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat",
           "Dorpsstraat", "Brusselsesteenweg", "Kapelleweg", "Beekstraat", "Lindelaan",
           "Rue de la Station", "Populierenlaan")

# (given names, family names, languages spoken, preferred language): one per community.
COMMUNITIES = (
    (("Jan", "Lotte", "Pieter", "Sofie", "Wout", "Emma", "Lars", "Fien", "Bram", "Noor"),
     ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "De Smet"),
     ("nl",), "nl"),
    (("محمد", "فاطمة", "أحمد", "مريم", "يوسف", "خديجة", "عمر", "ليلى"),
     ("العلي", "الحسن", "المصري", "الزين", "حداد", "السيد"), ("ar",), "ar"),
    (("Amina", "Youssef", "Samir", "Nadia", "Karim", "Fatima", "Hamza", "Salma"),
     ("El Idrissi", "Benali", "Amrani", "Haddouchi", "Bouzid", "El Khattabi"),
     ("ar", "fr", "nl"), "fr"),
    (("Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif", "Hüseyin", "Gül"),
     ("Yılmaz", "Demir", "Şahin", "Çelik", "Öztürk", "Kaya", "Aydın"), ("tr", "nl"), "tr"),
    (("Олександр", "Ганна", "Дмитро", "Олена", "Іван", "Марія", "Тарас", "Юлія"),
     ("Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник"),
     ("uk", "ru", "en"), "uk"),
    (("Fatou", "Jean-Baptiste", "Aminata", "Grâce", "Moussa", "Chantal", "Cédric", "Aïcha"),
     ("Diallo", "Mbala", "Dubois", "Traoré", "Lefèvre", "Ndiaye", "Kabongo"), ("fr", "ln"), "fr"),
    (("Maria", "Ionuț", "Elena", "Andrei"), ("Popescu", "Marin", "Ionescu", "Dumitru"),
     ("ro", "en"), "ro"),
    (("Farida", "Ahmad", "Zahra", "Mustafa"), ("Haidari", "Rahimi", "Karimi", "Sultani"),
     ("prs", "fa", "ps"), "fa"),
)

CONTACT_NOTES = (
    "Vraagt info over Nederlandse les in de avond; werkt overdag.",
    "Zoon start in september in de lagere school, inschrijving nog niet rond.",
    "Heeft een brief van de huisbaas niet begrepen; samen gelezen.",
    "Wil graag vrijwilligerswerk doen om Nederlands te oefenen.",
    "Wacht al maanden op een afspraak bij het OCMW.",
    "Kwam langs op de markt; kent het praatcafé nog niet.",
    "Zoekt een goedkope sportclub voor de kinderen.",
    "Samen het inschrijvingsformulier voor de VDAB ingevuld.",
    "Vraagt hulp bij het aanvragen van een huurpremie.",
    "Kinderopvang gezocht voor de jongste; wachtlijst.",
)
SENSITIVE_NOTES = (
    "Spreekt over spanningen thuis; doorverwezen naar het CAW, volgt op.",
    "Medische vragen over een chronische ziekte; huisarts nog niet gevonden.",
)
REFERRAL_NOTES = ("Samen afspraak gemaakt.", "Telefonisch aangemeld.", "Brief meegegeven.")
SIGNAL_TEXTS = (
    "Straatverlichting al weken kapot in de zijstraat bij de school.",
    "Verschillende gezinnen vragen naar een praatcafé in het Frans en Arabisch.",
    "Sluikstort achter het buurthuis.",
    "Jongeren zoeken een plek om te voetballen na school.",
    "Lange wachtrij aan het loket van het OCMW op maandag.",
)
GATHERING_TITLES = ("Buurtbabbel op het plein", "Praatcafé Nederlands", "Infosessie huren",
                    "Feest voor de inburgeringsattesten", "Buurtfeest")
