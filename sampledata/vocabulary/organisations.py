"""Organisations: how each sector's names are made up and how each sector is described."""

from alliances.models import Sector
from sampledata.vocabulary import words

# Looked up with the sector an Organisation holds, which its model field types as a plain str.
SECTOR_ADJECTIVES: dict[str, str] = {
    Sector.GOVERNMENT: "government",
    Sector.BUSINESS: "business",
    Sector.CIVIL_SOCIETY: "civil society",
    Sector.PHILANTHROPY: "philanthropic",
    Sector.ACADEMIA: "academic",
    Sector.MULTILATERAL: "multilateral",
}
SECTOR_DESCRIPTIONS = {
    Sector.GOVERNMENT: "A public body in {country}",
    Sector.BUSINESS: "A company headquartered in {country}",
    Sector.CIVIL_SOCIETY: "A non-profit organisation based in {country}",
    Sector.PHILANTHROPY: "A grant-making foundation based in {country}",
    Sector.ACADEMIA: "A university or research institute in {country}",
    Sector.MULTILATERAL: "An international institution working across several regions",
}
ORGANISATION_NAMES = {
    Sector.GOVERNMENT: [
        "Ministry of {ministry} of {country}",
        "{country} Department of {ministry}",
        "{country} National {agency} Agency",
        "{city} City Council",
    ],
    Sector.BUSINESS: [
        "{adjective} {industry} {suffix}",
        "{adjective} {industry} {suffix}",
        "{surname} {industry} {suffix}",
    ],
    Sector.CIVIL_SOCIETY: [
        "{word} Alliance for Children",
        "{country} Farmers' Union",
        "Friends of {city}",
        "{city} Community Water Trust",
        "{word} {cause} {group}",
        "{word} {cause} {group}",
        "{country} Association of {members}",
    ],
    Sector.PHILANTHROPY: [
        "{surname} Foundation",
        "{surname} Family Trust",
        "{surname}-{other_surname} Fund",
        "{word} Fund for {cause}",
    ],
    Sector.ACADEMIA: [
        "University of {city}",
        "{city} Institute of Technology",
        "{country} Centre for {field} Research",
        "{surname} School of {field}",
        "{city} Polytechnic",
    ],
    Sector.MULTILATERAL: [
        "Global Fund for {cause}",
        "International {cause} Partnership",
        "{region} {cause} Facility",
        "{region} {cause} Programme",
        "{region} Development Fund",
    ],
}
NAME_PARTS = {
    "ministry": words(
        """
        Water Resources, Health, Agriculture, Education, Energy, Finance, Environment,
        Social Protection, Trade and Industry, Digital Economy, Rural Development, Local Government
        """
    ),
    "agency": words(
        """
        Water, Health Insurance, Rural Electrification, Food Safety, Statistics, Skills Development,
        Disaster Management, Roads
        """
    ),
    "adjective": words(
        """
        Blue River, Sunrise, Highland, Greenfield, Meridian, Northstar, Golden Valley, Atlas,
        Keystone, Crescent, Harbour, Summit, Evergreen, Unity, Horizon, Baobab, Cedar, Silverline,
        Pioneer, Redwood, Lakeside, Coastal, Savanna, Andean, Delta, Orchard, Copperleaf,
        Ironbridge, Bright, Kestrel
        """
    ),
    "industry": words(
        """
        Foods, Beverages, Telecom, Energy, Pharmaceuticals, Logistics, Mining, Seeds,
        Water Technologies, Bank, Insurance, Mobile, Cement, Textiles, Agritech, Solar, Dairy,
        Coffee
        """
    ),
    "suffix": words(
        """
        plc, Ltd, Group, Holdings, Inc., Corporation, & Co.
        """
    ),
    "surname": words(
        """
        Okafor, Mensah, Haddad, Nakamura, Lindqvist, Ferreira, Kowalski, Achterberg, Banerjee,
        Castellanos, Delacroix, Eriksen, Fitzgerald, Gupta, Hartmann, Ibrahim, Jansen, Kariuki,
        Lopez, Moreau, Nwosu, Olsen, Petrova, Quispe, Rahman, Santos, Tanaka, Uchenna, Vasquez,
        Whitfield, Xu, Yilmaz, Zuniga, Abernathy, Bergstrom, Chowdhury, Dlamini, Estrada, Fontaine,
        Gallagher
        """
    ),
    "word": words(
        """
        Hope, Bridge, Harvest, Lantern, Open Door, Common Ground, Rising, Mosaic, Wellspring,
        Kinship, Anchor, Compass, Seedling, Threshold, Village, Together, Pathways, Shelter,
        Clearwater, Haven
        """
    ),
    "cause": words(
        """
        Water and Sanitation, Child Health, Food Security, Basic Education, Clean Energy,
        Financial Inclusion, Climate Adaptation, Nutrition, Digital Development, Fair Trade,
        Youth Employment, Gender Equality, Urban Resilience, Disaster Risk Reduction, Forests
        """
    ),
    "group": words(
        """
        Initiative, Network, Collective, Trust, Society, Coalition, Action
        """
    ),
    "members": words(
        """
        Rural Women, Health Workers, Small Businesses, Teachers, Water Users, Cooperatives
        """
    ),
    "field": words(
        """
        Public Health, Water Policy, Agricultural Economics, Development Studies, Energy Systems,
        Education Policy, Climate Science, Nutrition, Digital Innovation, Supply Chain Management
        """
    ),
}
