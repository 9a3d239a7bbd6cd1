"""Word lists for people, companies, campaigns and the website (all fictional)."""

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jan", "Katrin",
    "Lukas", "Maria", "Noah", "Olivia", "Paul", "Quentin", "Rosa", "Simon", "Theresa", "Ulrich",
    "Vera", "William", "Xenia", "Yusuf", "Zoe", "Amelie", "Bastian", "Chloe", "Daniel", "Emma",
    "Florian", "Hannah", "Isabel", "Jonas", "Lea", "Marco", "Nadia", "Oscar", "Pia", "Raphael",
    "Sara", "Tobias", "Valentina", "James", "Emily", "Michael", "Sophie", "Oliver", "Charlotte",
    "Lucas", "Camille", "Pierre", "Giulia", "Luca", "Sofia", "Mateo", "Lucia", "Liam", "Ava",
    "Ethan", "Mia", "Noemi", "Arjun", "Priya", "Kenji", "Aisha", "Omar", "Leila", "Niamh",
)
LAST_NAMES = (
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann",
    "Krueger", "Hartmann", "Lange", "Werner", "Keller", "Frei", "Baumann", "Huber", "Moser",
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau",
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Garcia", "Martinez", "Lopez",
    "Sanchez", "Perez", "De Jong", "Jansen", "De Vries", "Bakker", "Visser", "Smith", "Jones",
    "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans", "Walker", "Murphy",
    "Kelly", "Byrne", "Miller", "Anderson", "Clark", "Lewis", "Young", "Patel", "Sharma",
)
TITLES = {
    "Head of Marketing": 0.10, "Marketing Manager": 0.12, "Demand Generation Manager": 0.08,
    "VP Sales": 0.06, "Sales Director": 0.07, "Revenue Operations Manager": 0.10,
    "CFO": 0.04, "Controller": 0.06, "BI Lead": 0.08, "Data Analyst": 0.12, "CEO": 0.05,
    "Marketing Operations Specialist": 0.07, "Chief Revenue Officer": 0.05,
}
COMPANY_WORDS = (
    "Alpen", "Nordic", "Blue", "Silver", "Rhein", "Atlas", "Helix", "Quantum", "Crest", "Summit",
    "Harbor", "Iron", "Maple", "Orbit", "Pioneer", "Vertex", "Aurora", "Beacon", "Cobalt",
    "Delta", "Ember", "Falcon", "Granite", "Horizon", "Juniper", "Keystone", "Lumen", "Meridian",
    "Nova", "Onyx", "Polar", "Riverside", "Sterling", "Titan", "Union", "Vantage", "Westbrook",
    "Zenith", "Cedar", "Elbe",
)
COMPANY_SECTORS = (
    "Logistics", "Systems", "Analytics", "Foods", "Pharma", "Robotics", "Energy", "Textiles",
    "Media", "Capital", "Software", "Motors", "Labs", "Retail", "Health", "Consulting",
    "Networks", "Materials", "Insurance", "Instruments", "Mobility", "Solutions", "Dynamics",
    "Works", "Partners", "Industries", "Digital", "Bio", "Freight", "Foundry",
)
LEGAL_FORM = {
    "Germany": ("GmbH", "de"), "Austria": ("GmbH", "at"), "Switzerland": ("AG", "ch"),
    "United Kingdom": ("Ltd", "co.uk"), "United States": ("Inc.", "com"), "France": ("SAS", "fr"),
    "Netherlands": ("B.V.", "nl"), "Spain": ("S.L.", "es"), "Italy": ("S.r.l.", "it"),
    "Ireland": ("Ltd", "ie"),
}

WEBINAR_TOPICS = (
    "Pipeline analytics in practice", "From MQL to revenue", "Building a KPI scorecard",
    "Attribution without tears", "Forecasting for RevOps", "ABM that sales loves",
)
EVENTS = ("SaaStr Europa", "DMEXCO", "B2B Marketing Expo", "Dreamforce", "OMR", "RevOps Summit")
EBOOKS = (
    "The B2B KPI guide", "CAC payback explained", "Lead scoring playbook", "Funnel benchmarks",
    "Marketing ROI handbook",
)
EXPANSION_OFFERS = ("Analytics add-on", "Premium support", "Forecasting module", "Extra seats")

SITE = "https://www.example.com"
# path: (title, weight as a later page of a session)
PAGES = {
    "/": ("Revenue analytics for B2B teams", 3.0),
    "/product": ("Product overview", 2.0),
    "/product/dashboards": ("KPI dashboards", 1.5),
    "/product/attribution": ("Multi-touch attribution", 1.2),
    "/pricing": ("Pricing", 1.6),
    "/customers": ("Customer stories", 1.0),
    "/blog/b2b-funnel-metrics": ("B2B funnel metrics that matter", 1.0),
    "/blog/mql-vs-sql": ("MQL vs SQL: where the handover breaks", 1.0),
    "/blog/cac-payback": ("How to compute CAC payback", 0.8),
    "/resources/ebook-kpi-guide": ("Ebook: The B2B KPI guide", 0.7),
    "/resources/lead-scoring-playbook": ("Lead scoring playbook", 0.5),
    "/webinars": ("Webinars", 0.4),
    "/about": ("About us", 0.4),
    "/careers": ("Careers", 0.3),
    "/demo": ("Book a demo", 0.0),
    "/contact": ("Contact sales", 0.0),
    "/lp/kpi-dashboards": ("See every funnel KPI in one place", 0.0),
    "/lp/revenue-attribution": ("Attribute every euro of pipeline", 0.0),
    "/thank-you": ("Thank you", 0.0),
}
# landing path weights per session channel
LANDING = {
    "organic": {"/blog/b2b-funnel-metrics": 3, "/blog/mql-vs-sql": 3, "/blog/cac-payback": 2,
                "/": 2, "/product/dashboards": 1, "/resources/ebook-kpi-guide": 1},
    "direct": {"/": 6, "/pricing": 2, "/product": 1, "/careers": 0.5},
    "paid_search": {"/lp/kpi-dashboards": 4, "/lp/revenue-attribution": 3, "/pricing": 1, "/": 1},
    "paid_social": {"/lp/kpi-dashboards": 2, "/resources/ebook-kpi-guide": 3,
                    "/lp/revenue-attribution": 2, "/webinars": 1},
    "referral": {"/": 3, "/customers": 2, "/product": 2, "/blog/mql-vs-sql": 1},
    "email": {"/blog/b2b-funnel-metrics": 2, "/webinars": 2, "/resources/lead-scoring-playbook": 2,
              "/product/attribution": 1},
}
SEARCH_REFERRERS = ("https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/")
REFERRAL_SITES = (
    "https://www.g2.com/products/example/reviews", "https://www.capterra.com/p/example/",
    "https://revops-weekly.example.org/issue-42", "https://partner.example.net/integrations",
)
EMAIL_UTM_CAMPAIGNS = ("newsletter", "nurture_early_stage", "webinar_invite")
