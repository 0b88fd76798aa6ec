"""Places: countries and their cities by region, and how sentences name them."""

from alliances.models import Region

COUNTRIES = {
    Region.AFRICA: {
        "Kenya": ["Nairobi", "Mombasa", "Kisumu"],
        "Ghana": ["Accra", "Kumasi", "Tamale"],
        "Nigeria": ["Lagos", "Kano", "Ibadan"],
        "Ethiopia": ["Addis Ababa", "Hawassa", "Bahir Dar"],
        "Uganda": ["Kampala", "Gulu", "Mbarara"],
        "Tanzania": ["Dar es Salaam", "Arusha", "Dodoma"],
        "Senegal": ["Dakar", "Saint-Louis", "Thies"],
        "Malawi": ["Lilongwe", "Blantyre", "Mzuzu"],
        "Rwanda": ["Kigali", "Huye", "Musanze"],
        "Zambia": ["Lusaka", "Ndola", "Livingstone"],
        "Mozambique": ["Maputo", "Beira", "Nampula"],
    },
    Region.MIDDLE_EAST: {
        "Jordan": ["Amman", "Irbid", "Zarqa"],
        "Morocco": ["Rabat", "Casablanca", "Marrakesh"],
        "Egypt": ["Cairo", "Alexandria", "Aswan"],
        "Tunisia": ["Tunis", "Sfax", "Sousse"],
        "Lebanon": ["Beirut", "Tripoli", "Sidon"],
    },
    Region.ASIA_PACIFIC: {
        "India": ["Pune", "Chennai", "Lucknow"],
        "Bangladesh": ["Dhaka", "Chittagong", "Khulna"],
        "Indonesia": ["Jakarta", "Surabaya", "Makassar"],
        "Vietnam": ["Hanoi", "Da Nang", "Can Tho"],
        "Philippines": ["Manila", "Cebu", "Davao"],
        "Nepal": ["Kathmandu", "Pokhara", "Biratnagar"],
        "Cambodia": ["Phnom Penh", "Siem Reap", "Battambang"],
        "Pakistan": ["Lahore", "Karachi", "Peshawar"],
        "Fiji": ["Suva", "Lautoka", "Nadi"],
    },
    Region.EUROPE: {
        "United Kingdom": ["Manchester", "Glasgow", "Leeds"],
        "Germany": ["Hamburg", "Leipzig", "Bonn"],
        "Netherlands": ["Utrecht", "Rotterdam", "Groningen"],
        "Poland": ["Krakow", "Gdansk", "Wroclaw"],
        "Georgia": ["Tbilisi", "Batumi", "Kutaisi"],
        "Kyrgyzstan": ["Bishkek", "Osh", "Karakol"],
    },
    Region.LATIN_AMERICA: {
        "Brazil": ["Recife", "Belo Horizonte", "Porto Alegre"],
        "Mexico": ["Oaxaca", "Monterrey", "Puebla"],
        "Colombia": ["Medellin", "Cali", "Barranquilla"],
        "Peru": ["Lima", "Cusco", "Arequipa"],
        "Guatemala": ["Quetzaltenango", "Antigua", "Coban"],
        "Haiti": ["Port-au-Prince", "Cap-Haitien", "Les Cayes"],
        "Chile": ["Valparaiso", "Concepcion", "Temuco"],
        "Bolivia": ["La Paz", "Cochabamba", "Sucre"],
    },
    Region.NORTH_AMERICA: {
        "United States": ["Detroit", "Baltimore", "Fresno"],
        "Canada": ["Winnipeg", "Halifax", "Saskatoon"],
    },
}
# Names that take "the" in a sentence: "in the Philippines".
NAMES_WITH_THE = {
    "United Kingdom",
    "Netherlands",
    "Philippines",
    "United States",
    Region.MIDDLE_EAST.label,
}
REGION_ADJECTIVES = {
    Region.AFRICA: "African",
    Region.MIDDLE_EAST: "Arab",
    Region.ASIA_PACIFIC: "Asia-Pacific",
    Region.EUROPE: "European",
    Region.LATIN_AMERICA: "Inter-American",
    Region.NORTH_AMERICA: "North American",
}
