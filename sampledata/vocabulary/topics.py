"""Topics: what case studies are about, with the people, problems, work and results of each."""

TOPICS = {
    "water": {
        "titles": ["Clean Water", "Water Security", "Safe Water"],
        "people": "rural households",
        "problems": [
            "unreliable access to safe drinking water",
            "water points that broke down within a year of being built",
            "long walks to fetch water, mostly by women and girls",
        ],
        "activities": [
            "repairing and maintaining rural water points",
            "setting up community water committees",
            "piping water to small towns at a fair tariff",
        ],
        "impacts": [
            "{n:,} people gained a reliable water supply",
            "{n:,} water points were brought back into service",
        ],
    },
    "health": {
        "titles": ["Community Health", "Maternal Health", "Health Access"],
        "people": "mothers and young children",
        "problems": [
            "long distances to the nearest clinic",
            "frequent stock-outs of essential medicines",
            "too few trained health workers in rural districts",
        ],
        "activities": [
            "training community health workers",
            "delivering medicines to remote clinics",
            "bringing antenatal care closer to home",
        ],
        "impacts": [
            "{n:,} women gave birth with a skilled attendant",
            "{n:,} patients were treated closer to home",
        ],
    },
    "agriculture": {
        "titles": ["Smallholder Farming", "Farm Markets", "Harvest"],
        "people": "smallholder farmers",
        "problems": [
            "low yields and poor access to markets",
            "post-harvest losses of up to a third of the crop",
            "prices set by a handful of middlemen",
        ],
        "activities": [
            "linking smallholders to large buyers",
            "supplying improved seed with extension advice",
            "building shared storage and drying facilities",
        ],
        "impacts": [
            "{n:,} farmers sold to a regular buyer",
            "{n:,} farming households raised their income",
        ],
    },
    "education": {
        "titles": ["Learning", "Girls' Education", "Better Schools"],
        "people": "children in rural schools",
        "problems": [
            "primary schooling that left many without basic literacy",
            "overcrowded classrooms and untrained teachers",
            "high drop-out among girls of secondary age",
        ],
        "activities": [
            "training teachers in early-grade reading",
            "providing learning materials in local languages",
            "paying bursaries to keep girls in school",
        ],
        "impacts": [
            "{n:,} children reached the expected reading level",
            "{n:,} girls stayed in school to the final grade",
        ],
    },
    "energy": {
        "titles": ["Clean Energy", "Off-Grid Power", "Energy Access"],
        "people": "off-grid households and clinics",
        "problems": [
            "life without electricity",
            "costly and unhealthy kerosene lighting",
            "a national grid that would not reach rural areas for decades",
        ],
        "activities": [
            "installing solar mini-grids",
            "financing household solar kits",
            "training local technicians to maintain equipment",
        ],
        "impacts": [
            "{n:,} households were connected to clean power",
            "{n:,} solar systems were installed and kept running",
        ],
    },
    "finance": {
        "titles": ["Financial Inclusion", "Savings", "Microfinance"],
        "people": "low-income households",
        "problems": [
            "no bank account and no access to credit",
            "no way to borrow at fair rates",
            "remittances eaten up by high transfer fees",
        ],
        "activities": [
            "offering savings accounts by mobile phone",
            "training village savings groups",
            "lending to women-owned small businesses",
        ],
        "impacts": [
            "{n:,} people opened their first account",
            "{n:,} small loans were repaid on time",
        ],
    },
    "climate": {
        "titles": ["Climate Resilience", "Climate Adaptation", "Resilient Communities"],
        "people": "farming and fishing communities",
        "problems": [
            "floods and droughts that wiped out a season's income",
            "eroding coastlines and salt water in the fields",
            "no early warning before extreme weather",
        ],
        "activities": [
            "mapping flood risk with communities",
            "introducing drought insurance for farmers",
            "restoring mangroves and watersheds",
        ],
        "impacts": [
            "{n:,} households were covered by an early-warning system",
            "{n:,} hectares of land were restored",
        ],
    },
    "nutrition": {
        "titles": ["Nutrition", "Food Fortification", "Healthy Diets"],
        "people": "young children and their mothers",
        "problems": [
            "stunting among young children",
            "diets lacking essential vitamins and minerals",
            "seasonal hunger before each harvest",
        ],
        "activities": [
            "fortifying staple foods at the mill",
            "promoting breastfeeding and varied diets",
            "growing and selling nutritious crops locally",
        ],
        "impacts": [
            "{n:,} children were reached with fortified food",
            "{n:,} mothers joined nutrition counselling",
        ],
    },
    "digital inclusion": {
        "titles": ["Digital Inclusion", "Connectivity", "Digital Skills"],
        "people": "young people in small towns",
        "problems": [
            "no affordable internet",
            "schools with no computers or connection",
            "public services that could only be reached online",
        ],
        "activities": [
            "training young people in digital skills",
            "connecting rural schools to the internet",
            "setting up community technology centres",
        ],
        "impacts": [
            "{n:,} people completed digital skills training",
            "{n:,} pupils gained regular internet access at school",
        ],
    },
    "supply chains": {
        "titles": ["Responsible Supply Chains", "Fair Sourcing", "Sustainable Sourcing"],
        "people": "workers on supplier farms and factories",
        "problems": [
            "poor and unsafe working conditions",
            "raw materials that could not be traced to their source",
            "child labour in parts of the supply chain",
        ],
        "activities": [
            "auditing and improving supplier factories",
            "tracing raw materials to the farm",
            "paying a premium for certified produce",
        ],
        "impacts": [
            "{n:,} workers were covered by improved standards",
            "{n:,} suppliers met the agreed code of conduct",
        ],
    },
    "sanitation": {
        "titles": ["Sanitation", "Sanitation Markets", "Clean Cities"],
        "people": "households in informal settlements",
        "problems": [
            "open defecation and unsafe latrines",
            "latrines that filled up with nobody to empty them",
            "waste flowing into rivers and drinking water",
        ],
        "activities": [
            "building and maintaining household latrines",
            "developing a local market for sanitation products",
            "licensing small businesses to empty latrines safely",
        ],
        "impacts": [
            "{n:,} people gained access to a safe toilet",
            "{n:,} latrines were emptied and treated safely",
        ],
    },
    "youth employment": {
        "titles": ["Youth Employment", "Skills for Work", "First Jobs"],
        "people": "young people leaving school",
        "problems": [
            "few jobs or training places after school",
            "employers unable to find staff with the right skills",
            "apprenticeships that led nowhere",
        ],
        "activities": [
            "running apprenticeships with local employers",
            "matching graduates with small businesses",
            "teaching vocational skills that employers asked for",
        ],
        "impacts": [
            "{n:,} young people found work within six months",
            "{n:,} apprentices completed their training",
        ],
    },
}
