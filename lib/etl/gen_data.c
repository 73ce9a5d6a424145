/* gen_data: the tables of the Global Superstore generator (see gen_data.h).
 * Only data here; lib/etl/gen.c checks the strings (lengths, initials) when
 * it starts and the compiler checks the counts below. */
#include "etl/gen_data.h"

#include <stddef.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *const dw_gen_data_market_names[DW_GEN_DATA_MK_COUNT] = {
	"US", "Canada", "EU", "APAC", "LATAM", "Africa", "EMEA",
};

const struct dw_gen_data_discounts dw_gen_data_market_discounts[DW_GEN_DATA_MK_COUNT] = {
	[DW_GEN_DATA_MK_US] = { 10, { 0, 10, 20, 30, 40, 45, 50, 60, 70, 80 },
		{ 480, 40, 370, 20, 25, 2, 7, 14, 40, 30 } },
	[DW_GEN_DATA_MK_CANADA] = { 1, { 0 }, { 1 } },
	[DW_GEN_DATA_MK_EU] = { 9, { 0, 10, 15, 20, 30, 40, 45, 50, 60 },
		{ 600, 150, 30, 80, 30, 30, 10, 40, 30 } },
	[DW_GEN_DATA_MK_APAC] = { 11, { 0, 10, 15, 20, 25, 30, 40, 45, 50, 60, 70 },
		{ 550, 80, 30, 90, 20, 40, 60, 20, 40, 40, 30 } },
	[DW_GEN_DATA_MK_LATAM] = { 4, { 0, 20, 40, 60 }, { 620, 180, 140, 60 } },
	[DW_GEN_DATA_MK_AFRICA] = { 3, { 0, 50, 70 }, { 700, 200, 100 } },
	[DW_GEN_DATA_MK_EMEA] = { 4, { 0, 50, 60, 70 }, { 650, 180, 70, 100 } },
};

const struct dw_gen_data_country dw_gen_data_countries[] = {
	{ "United States", DW_GEN_DATA_MK_US, NULL, "CA", 195 },
	{ "Canada", DW_GEN_DATA_MK_CANADA, "Canada", "CA", 8 },
	{ "France", DW_GEN_DATA_MK_EU, "Central", "ES", 50 },
	{ "Germany", DW_GEN_DATA_MK_EU, "Central", "ES", 38 },
	{ "Netherlands", DW_GEN_DATA_MK_EU, "Central", "ES", 11 },
	{ "Austria", DW_GEN_DATA_MK_EU, "Central", "ES", 6 },
	{ "Belgium", DW_GEN_DATA_MK_EU, "Central", "ES", 5 },
	{ "Switzerland", DW_GEN_DATA_MK_EU, "Central", "ES", 4 },
	{ "United Kingdom", DW_GEN_DATA_MK_EU, "North", "ES", 30 },
	{ "Sweden", DW_GEN_DATA_MK_EU, "North", "ES", 6 },
	{ "Denmark", DW_GEN_DATA_MK_EU, "North", "ES", 3 },
	{ "Norway", DW_GEN_DATA_MK_EU, "North", "ES", 3 },
	{ "Ireland", DW_GEN_DATA_MK_EU, "North", "ES", 3 },
	{ "Finland", DW_GEN_DATA_MK_EU, "North", "ES", 2 },
	{ "Italy", DW_GEN_DATA_MK_EU, "South", "IT", 18 },
	{ "Spain", DW_GEN_DATA_MK_EU, "South", "ES", 17 },
	{ "Portugal", DW_GEN_DATA_MK_EU, "South", "ES", 4 },
	{ "Australia", DW_GEN_DATA_MK_APAC, "Oceania", "IN", 52 },
	{ "New Zealand", DW_GEN_DATA_MK_APAC, "Oceania", "IN", 10 },
	{ "Indonesia", DW_GEN_DATA_MK_APAC, "Southeast Asia", "ID", 26 },
	{ "Philippines", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 16 },
	{ "Vietnam", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 7 },
	{ "Thailand", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 6 },
	{ "Malaysia", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 5 },
	{ "Singapore", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 4 },
	{ "Myanmar (Burma)", DW_GEN_DATA_MK_APAC, "Southeast Asia", "IN", 3 },
	{ "China", DW_GEN_DATA_MK_APAC, "North Asia", "IN", 35 },
	{ "Japan", DW_GEN_DATA_MK_APAC, "North Asia", "IN", 22 },
	{ "South Korea", DW_GEN_DATA_MK_APAC, "North Asia", "IN", 8 },
	{ "Taiwan", DW_GEN_DATA_MK_APAC, "North Asia", "IN", 3 },
	{ "Mongolia", DW_GEN_DATA_MK_APAC, "North Asia", "IN", 1 },
	{ "India", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 29 },
	{ "Pakistan", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 8 },
	{ "Bangladesh", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 5 },
	{ "Sri Lanka", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 2 },
	{ "Afghanistan", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 2 },
	{ "Kazakhstan", DW_GEN_DATA_MK_APAC, "Central Asia", "IN", 2 },
	{ "Cuba", DW_GEN_DATA_MK_LATAM, "Caribbean", "MX", 14 },
	{ "Dominican Republic", DW_GEN_DATA_MK_LATAM, "Caribbean", "MX", 10 },
	{ "Haiti", DW_GEN_DATA_MK_LATAM, "Caribbean", "MX", 4 },
	{ "Jamaica", DW_GEN_DATA_MK_LATAM, "Caribbean", "MX", 3 },
	{ "Mexico", DW_GEN_DATA_MK_LATAM, "Central", "MX", 50 },
	{ "Guatemala", DW_GEN_DATA_MK_LATAM, "Central", "MX", 9 },
	{ "El Salvador", DW_GEN_DATA_MK_LATAM, "Central", "MX", 9 },
	{ "Honduras", DW_GEN_DATA_MK_LATAM, "Central", "MX", 7 },
	{ "Nicaragua", DW_GEN_DATA_MK_LATAM, "Central", "MX", 6 },
	{ "Brazil", DW_GEN_DATA_MK_LATAM, "South", "MX", 30 },
	{ "Argentina", DW_GEN_DATA_MK_LATAM, "South", "MX", 12 },
	{ "Colombia", DW_GEN_DATA_MK_LATAM, "South", "MX", 11 },
	{ "Peru", DW_GEN_DATA_MK_LATAM, "South", "MX", 6 },
	{ "Chile", DW_GEN_DATA_MK_LATAM, "South", "MX", 6 },
	{ "Venezuela", DW_GEN_DATA_MK_LATAM, "South", "MX", 5 },
	{ "Ecuador", DW_GEN_DATA_MK_LATAM, "South", "MX", 3 },
	{ "Nigeria", DW_GEN_DATA_MK_AFRICA, "Africa", "NI", 19 },
	{ "South Africa", DW_GEN_DATA_MK_AFRICA, "Africa", "SF", 9 },
	{ "Morocco", DW_GEN_DATA_MK_AFRICA, "Africa", "MO", 10 },
	{ "Algeria", DW_GEN_DATA_MK_AFRICA, "Africa", "AG", 8 },
	{ "Democratic Republic of the Congo", DW_GEN_DATA_MK_AFRICA, "Africa", "CG", 8 },
	{ "Kenya", DW_GEN_DATA_MK_AFRICA, "Africa", "KE", 5 },
	{ "Ethiopia", DW_GEN_DATA_MK_AFRICA, "Africa", "ET", 4 },
	{ "Senegal", DW_GEN_DATA_MK_AFRICA, "Africa", "SG", 4 },
	{ "Ghana", DW_GEN_DATA_MK_AFRICA, "Africa", "GH", 4 },
	{ "Tanzania", DW_GEN_DATA_MK_AFRICA, "Africa", "TZ", 4 },
	{ "Cameroon", DW_GEN_DATA_MK_AFRICA, "Africa", "CM", 4 },
	{ "Turkey", DW_GEN_DATA_MK_EMEA, "EMEA", "TU", 20 },
	{ "Egypt", DW_GEN_DATA_MK_EMEA, "EMEA", "EG", 10 },
	{ "Iran", DW_GEN_DATA_MK_EMEA, "EMEA", "IR", 11 },
	{ "Iraq", DW_GEN_DATA_MK_EMEA, "EMEA", "IZ", 6 },
	{ "Saudi Arabia", DW_GEN_DATA_MK_EMEA, "EMEA", "SA", 6 },
	{ "Israel", DW_GEN_DATA_MK_EMEA, "EMEA", "IS", 4 },
	{ "Ukraine", DW_GEN_DATA_MK_EMEA, "EMEA", "UP", 5 },
	{ "Poland", DW_GEN_DATA_MK_EMEA, "EMEA", "PL", 7 },
	{ "Russia", DW_GEN_DATA_MK_EMEA, "EMEA", "RS", 8 },
	{ "Czech Republic", DW_GEN_DATA_MK_EMEA, "EMEA", "EZ", 3 },
	{ "Hungary", DW_GEN_DATA_MK_EMEA, "EMEA", "HU", 3 },
};

const struct dw_gen_data_city dw_gen_data_cities[] = {
	{ "New York City", "New York", "United States", "East", 10001, 40 },
	{ "Philadelphia", "Pennsylvania", "United States", "East", 19103, 40 },
	{ "Boston", "Massachusetts", "United States", "East", 2108, 20 },
	{ "Columbus", "Ohio", "United States", "East", 43201, 30 },
	{ "Buffalo", "New York", "United States", "East", 14201, 20 },
	{ "Newark", "Delaware", "United States", "East", 19711, 3 },
	{ "Wilmington", "Delaware", "United States", "East", 19801, 10 },
	{ "Burlington", "Vermont", "United States", "East", 5401, 3 },
	{ "Manchester", "New Hampshire", "United States", "East", 3101, 4 },
	{ "Hartford", "Connecticut", "United States", "East", 6101, 10 },
	{ "Baltimore", "Maryland", "United States", "East", 21201, 30 },
	{ "Jersey City", "New Jersey", "United States", "East", 7302, 5 },
	{ "Providence", "Rhode Island", "United States", "East", 2903, 7 },
	{ "Los Angeles", "California", "United States", "West", 90001, 60 },
	{ "San Francisco", "California", "United States", "West", 94102, 30 },
	{ "San Diego", "California", "United States", "West", 92101, 30 },
	{ "Seattle", "Washington", "United States", "West", 98101, 40 },
	{ "Portland", "Oregon", "United States", "West", 97201, 30 },
	{ "Phoenix", "Arizona", "United States", "West", 85003, 40 },
	{ "Tucson", "Arizona", "United States", "West", 85701, 15 },
	{ "Denver", "Colorado", "United States", "West", 80202, 30 },
	{ "Las Vegas", "Nevada", "United States", "West", 89101, 40 },
	{ "Salt Lake City", "Utah", "United States", "West", 84101, 20 },
	{ "Albuquerque", "New Mexico", "United States", "West", 87102, 20 },
	{ "Boise", "Idaho", "United States", "West", 83702, 10 },
	{ "Cheyenne", "Wyoming", "United States", "West", 82001, 7 },
	{ "Billings", "Montana", "United States", "West", 59101, 5 },
	{ "Houston", "Texas", "United States", "Central", 77002, 90 },
	{ "Dallas", "Texas", "United States", "Central", 75201, 50 },
	{ "San Antonio", "Texas", "United States", "Central", 78201, 50 },
	{ "Austin", "Texas", "United States", "Central", 78701, 50 },
	{ "Chicago", "Illinois", "United States", "Central", 60601, 60 },
	{ "Detroit", "Michigan", "United States", "Central", 48201, 35 },
	{ "Minneapolis", "Minnesota", "United States", "Central", 55401, 30 },
	{ "Milwaukee", "Wisconsin", "United States", "Central", 53202, 25 },
	{ "Indianapolis", "Indiana", "United States", "Central", 46201, 30 },
	{ "Omaha", "Nebraska", "United States", "Central", 68102, 30 },
	{ "Oklahoma City", "Oklahoma", "United States", "Central", 73102, 40 },
	{ "Kansas City", "Missouri", "United States", "Central", 64101, 60 },
	{ "Des Moines", "Iowa", "United States", "Central", 50309, 15 },
	{ "Sioux Falls", "South Dakota", "United States", "Central", 57103, 5 },
	{ "Fargo", "North Dakota", "United States", "Central", 58102, 3 },
	{ "Wichita", "Kansas", "United States", "Central", 67202, 20 },
	{ "Jacksonville", "Florida", "United States", "South", 32202, 50 },
	{ "Miami", "Florida", "United States", "South", 33125, 60 },
	{ "Tampa", "Florida", "United States", "South", 33602, 30 },
	{ "Atlanta", "Georgia", "United States", "South", 30303, 40 },
	{ "Nashville", "Tennessee", "United States", "South", 37201, 30 },
	{ "Memphis", "Tennessee", "United States", "South", 38103, 30 },
	{ "Louisville", "Kentucky", "United States", "South", 40202, 30 },
	{ "Charlotte", "North Carolina", "United States", "South", 28202, 20 },
	{ "Richmond", "Virginia", "United States", "South", 23219, 20 },
	{ "New Orleans", "Louisiana", "United States", "South", 70112, 20 },
	{ "Columbia", "South Carolina", "United States", "South", 29201, 10 },
	{ "Jackson", "Mississippi", "United States", "South", 39201, 10 },
	{ "Little Rock", "Arkansas", "United States", "South", 72201, 10 },
	{ "Birmingham", "Alabama", "United States", "South", 35203, 20 },
	{ "Toronto", "Ontario", "Canada", NULL, 0, 0 },
	{ "Ottawa", "Ontario", "Canada", NULL, 0, 0 },
	{ "Montreal", "Quebec", "Canada", NULL, 0, 0 },
	{ "Québec", "Quebec", "Canada", NULL, 0, 0 },
	{ "Vancouver", "British Columbia", "Canada", NULL, 0, 0 },
	{ "Calgary", "Alberta", "Canada", NULL, 0, 0 },
	{ "Edmonton", "Alberta", "Canada", NULL, 0, 0 },
	{ "Winnipeg", "Manitoba", "Canada", NULL, 0, 0 },
	{ "Halifax", "Nova Scotia", "Canada", NULL, 0, 0 },
	{ "Paris", "Ile-de-France", "France", NULL, 0, 0 },
	{ "Lyon", "Auvergne-Rhône-Alpes", "France", NULL, 0, 0 },
	{ "Marseille", "Provence-Alpes-Côte d'Azur", "France", NULL, 0, 0 },
	{ "Toulouse", "Occitanie", "France", NULL, 0, 0 },
	{ "Lille", "Hauts-de-France", "France", NULL, 0, 0 },
	{ "Berlin", "Berlin", "Germany", NULL, 0, 0 },
	{ "Munich", "Bavaria", "Germany", NULL, 0, 0 },
	{ "Hamburg", "Hamburg", "Germany", NULL, 0, 0 },
	{ "Cologne", "North Rhine-Westphalia", "Germany", NULL, 0, 0 },
	{ "Düsseldorf", "North Rhine-Westphalia", "Germany", NULL, 0, 0 },
	{ "Frankfurt", "Hesse", "Germany", NULL, 0, 0 },
	{ "Amsterdam", "North Holland", "Netherlands", NULL, 0, 0 },
	{ "Rotterdam", "South Holland", "Netherlands", NULL, 0, 0 },
	{ "The Hague", "South Holland", "Netherlands", NULL, 0, 0 },
	{ "Vienna", "Vienna", "Austria", NULL, 0, 0 },
	{ "Graz", "Styria", "Austria", NULL, 0, 0 },
	{ "Brussels", "Brussels", "Belgium", NULL, 0, 0 },
	{ "Antwerp", "Antwerp", "Belgium", NULL, 0, 0 },
	{ "Zürich", "Zürich", "Switzerland", NULL, 0, 0 },
	{ "Geneva", "Geneva", "Switzerland", NULL, 0, 0 },
	{ "London", "England", "United Kingdom", NULL, 0, 0 },
	{ "Manchester", "England", "United Kingdom", NULL, 0, 0 },
	{ "Birmingham", "England", "United Kingdom", NULL, 0, 0 },
	{ "Glasgow", "Scotland", "United Kingdom", NULL, 0, 0 },
	{ "Cardiff", "Wales", "United Kingdom", NULL, 0, 0 },
	{ "Belfast", "Northern Ireland", "United Kingdom", NULL, 0, 0 },
	{ "Stockholm", "Stockholm", "Sweden", NULL, 0, 0 },
	{ "Göteborg", "Västra Götaland", "Sweden", NULL, 0, 0 },
	{ "Copenhagen", "Capital", "Denmark", NULL, 0, 0 },
	{ "Oslo", "Oslo", "Norway", NULL, 0, 0 },
	{ "Dublin", "Leinster", "Ireland", NULL, 0, 0 },
	{ "Helsinki", "Uusimaa", "Finland", NULL, 0, 0 },
	{ "Rome", "Lazio", "Italy", NULL, 0, 0 },
	{ "Milan", "Lombardy", "Italy", NULL, 0, 0 },
	{ "Naples", "Campania", "Italy", NULL, 0, 0 },
	{ "Turin", "Piedmont", "Italy", NULL, 0, 0 },
	{ "Madrid", "Madrid", "Spain", NULL, 0, 0 },
	{ "Barcelona", "Catalonia", "Spain", NULL, 0, 0 },
	{ "Valencia", "Valenciana", "Spain", NULL, 0, 0 },
	{ "Seville", "Andalusía", "Spain", NULL, 0, 0 },
	{ "Lisbon", "Lisboa", "Portugal", NULL, 0, 0 },
	{ "Porto", "Porto", "Portugal", NULL, 0, 0 },
	{ "Sydney", "New South Wales", "Australia", NULL, 0, 0 },
	{ "Melbourne", "Victoria", "Australia", NULL, 0, 0 },
	{ "Brisbane", "Queensland", "Australia", NULL, 0, 0 },
	{ "Perth", "Western Australia", "Australia", NULL, 0, 0 },
	{ "Adelaide", "South Australia", "Australia", NULL, 0, 0 },
	{ "Auckland", "Auckland", "New Zealand", NULL, 0, 0 },
	{ "Wellington", "Wellington", "New Zealand", NULL, 0, 0 },
	{ "Jakarta", "Jakarta", "Indonesia", NULL, 0, 0 },
	{ "Surabaya", "East Java", "Indonesia", NULL, 0, 0 },
	{ "Bandung", "West Java", "Indonesia", NULL, 0, 0 },
	{ "Manila", "National Capital", "Philippines", NULL, 0, 0 },
	{ "Cebu City", "Central Visayas", "Philippines", NULL, 0, 0 },
	{ "Ho Chi Minh City", "Ho Chí Minh City", "Vietnam", NULL, 0, 0 },
	{ "Hanoi", "Hanoi", "Vietnam", NULL, 0, 0 },
	{ "Bangkok", "Bangkok", "Thailand", NULL, 0, 0 },
	{ "Kuala Lumpur", "Kuala Lumpur", "Malaysia", NULL, 0, 0 },
	{ "Singapore", "Singapore", "Singapore", NULL, 0, 0 },
	{ "Yangon", "Yangon", "Myanmar (Burma)", NULL, 0, 0 },
	{ "Shanghai", "Shanghai", "China", NULL, 0, 0 },
	{ "Beijing", "Beijing", "China", NULL, 0, 0 },
	{ "Guangzhou", "Guangdong", "China", NULL, 0, 0 },
	{ "Shenzhen", "Guangdong", "China", NULL, 0, 0 },
	{ "Chengdu", "Sichuan", "China", NULL, 0, 0 },
	{ "Tokyo", "Tōkyō", "Japan", NULL, 0, 0 },
	{ "Osaka", "Ōsaka", "Japan", NULL, 0, 0 },
	{ "Yokohama", "Kanagawa", "Japan", NULL, 0, 0 },
	{ "Nagoya", "Aichi", "Japan", NULL, 0, 0 },
	{ "Seoul", "Seoul", "South Korea", NULL, 0, 0 },
	{ "Busan", "Busan", "South Korea", NULL, 0, 0 },
	{ "Taipei", "Taipei City", "Taiwan", NULL, 0, 0 },
	{ "Ulaanbaatar", "Ulaanbaatar", "Mongolia", NULL, 0, 0 },
	{ "Mumbai", "Maharashtra", "India", NULL, 0, 0 },
	{ "Delhi", "Delhi", "India", NULL, 0, 0 },
	{ "Bangalore", "Karnataka", "India", NULL, 0, 0 },
	{ "Chennai", "Tamil Nadu", "India", NULL, 0, 0 },
	{ "Kolkata", "West Bengal", "India", NULL, 0, 0 },
	{ "Karachi", "Sindh", "Pakistan", NULL, 0, 0 },
	{ "Lahore", "Punjab", "Pakistan", NULL, 0, 0 },
	{ "Dhaka", "Dhaka", "Bangladesh", NULL, 0, 0 },
	{ "Colombo", "Western", "Sri Lanka", NULL, 0, 0 },
	{ "Kabul", "Kabul", "Afghanistan", NULL, 0, 0 },
	{ "Almaty", "Almaty", "Kazakhstan", NULL, 0, 0 },
	{ "Havana", "Ciudad de la Habana", "Cuba", NULL, 0, 0 },
	{ "Santiago de Cuba", "Santiago de Cuba", "Cuba", NULL, 0, 0 },
	{ "Santo Domingo", "Santo Domingo", "Dominican Republic", NULL, 0, 0 },
	{ "Port-au-Prince", "Ouest", "Haiti", NULL, 0, 0 },
	{ "Kingston", "Kingston", "Jamaica", NULL, 0, 0 },
	{ "Mexico City", "Distrito Federal", "Mexico", NULL, 0, 0 },
	{ "Guadalajara", "Jalisco", "Mexico", NULL, 0, 0 },
	{ "Monterrey", "Nuevo León", "Mexico", NULL, 0, 0 },
	{ "Puebla", "Puebla", "Mexico", NULL, 0, 0 },
	{ "Tijuana", "Baja California", "Mexico", NULL, 0, 0 },
	{ "Guatemala City", "Guatemala", "Guatemala", NULL, 0, 0 },
	{ "San Salvador", "San Salvador", "El Salvador", NULL, 0, 0 },
	{ "Tegucigalpa", "Francisco Morazán", "Honduras", NULL, 0, 0 },
	{ "Managua", "Managua", "Nicaragua", NULL, 0, 0 },
	{ "São Paulo", "São Paulo", "Brazil", NULL, 0, 0 },
	{ "Rio de Janeiro", "Rio de Janeiro", "Brazil", NULL, 0, 0 },
	{ "Salvador", "Bahia", "Brazil", NULL, 0, 0 },
	{ "Brasília", "Distrito Federal", "Brazil", NULL, 0, 0 },
	{ "Buenos Aires", "Buenos Aires", "Argentina", NULL, 0, 0 },
	{ "Córdoba", "Córdoba", "Argentina", NULL, 0, 0 },
	{ "Bogotá", "Distrito Capital", "Colombia", NULL, 0, 0 },
	{ "Medellín", "Antioquia", "Colombia", NULL, 0, 0 },
	{ "Lima", "Lima", "Peru", NULL, 0, 0 },
	{ "Santiago", "Santiago", "Chile", NULL, 0, 0 },
	{ "Caracas", "Distrito Capital", "Venezuela", NULL, 0, 0 },
	{ "Quito", "Pichincha", "Ecuador", NULL, 0, 0 },
	{ "Lagos", "Lagos", "Nigeria", NULL, 0, 0 },
	{ "Abuja", "Federal Capital Territory", "Nigeria", NULL, 0, 0 },
	{ "Johannesburg", "Gauteng", "South Africa", NULL, 0, 0 },
	{ "Cape Town", "Western Cape", "South Africa", NULL, 0, 0 },
	{ "Casablanca", "Grand Casablanca", "Morocco", NULL, 0, 0 },
	{ "Algiers", "Alger", "Algeria", NULL, 0, 0 },
	{ "Kinshasa", "Kinshasa", "Democratic Republic of the Congo", NULL, 0, 0 },
	{ "Nairobi", "Nairobi", "Kenya", NULL, 0, 0 },
	{ "Addis Ababa", "Addis Ababa", "Ethiopia", NULL, 0, 0 },
	{ "Dakar", "Dakar", "Senegal", NULL, 0, 0 },
	{ "Accra", "Greater Accra", "Ghana", NULL, 0, 0 },
	{ "Dar es Salaam", "Dar es Salaam", "Tanzania", NULL, 0, 0 },
	{ "Douala", "Littoral", "Cameroon", NULL, 0, 0 },
	{ "Istanbul", "Istanbul", "Turkey", NULL, 0, 0 },
	{ "Ankara", "Ankara", "Turkey", NULL, 0, 0 },
	{ "Izmir", "Izmir", "Turkey", NULL, 0, 0 },
	{ "Cairo", "Cairo", "Egypt", NULL, 0, 0 },
	{ "Alexandria", "Alexandria", "Egypt", NULL, 0, 0 },
	{ "Tehran", "Tehran", "Iran", NULL, 0, 0 },
	{ "Mashhad", "Razavi Khorasan", "Iran", NULL, 0, 0 },
	{ "Baghdad", "Baghdad", "Iraq", NULL, 0, 0 },
	{ "Riyadh", "Ar Riyad", "Saudi Arabia", NULL, 0, 0 },
	{ "Tel Aviv", "Tel Aviv", "Israel", NULL, 0, 0 },
	{ "Kiev", "Kiev", "Ukraine", NULL, 0, 0 },
	{ "Warsaw", "Masovia", "Poland", NULL, 0, 0 },
	{ "Kraków", "Lesser Poland", "Poland", NULL, 0, 0 },
	{ "Moscow", "Moscow City", "Russia", NULL, 0, 0 },
	{ "Saint Petersburg", "Saint Petersburg", "Russia", NULL, 0, 0 },
	{ "Prague", "Prague", "Czech Republic", NULL, 0, 0 },
	{ "Budapest", "Budapest", "Hungary", NULL, 0, 0 },
};

/* Product name parts; NULL-terminated lists. */
static const char *const brands_bookcases[] = {
	"Bush", "Sauder", "O'Sullivan", "Bestar", "Atlantic", "Dania", "Safco",
	"Hon", "Ikea", NULL
};
static const char *const brands_chairs[] = {
	"Hon", "Office Star", "Harbour Creations", "Global", "Safco",
	"Novimex", "Lesro", "Chromcraft", NULL
};
static const char *const brands_furnishings[] = {
	"Eldon", "Tenex", "Howard Miller", "Deflect-O", "Advantus",
	"Rubbermaid", "Executive Impressions", "Tensor", "Luxo", NULL
};
static const char *const brands_tables[] = {
	"Bretford", "Barricks", "Hon", "KI", "Chromcraft", "Bevis", "Lesro",
	"Balt", "Safco", NULL
};
static const char *const brands_appliances[] = {
	"Hoover", "Kensington", "Fellowes", "Holmes", "Hamilton Beach",
	"Cuisinart", "KitchenAid", "Black & Decker", "Belkin", "Sanyo",
	"Whirlpool", NULL
};
static const char *const brands_art[] = {
	"Sanford", "Boston", "Binney & Smith", "Stanley", "Dixon", "Prang",
	"BIC", "Sharpie", "Staedtler", NULL
};
static const char *const brands_binders[] = {
	"Avery", "Acco", "Wilson Jones", "Cardinal", "Ibico", "GBC",
	"Fellowes", "Green Canoe", NULL
};
static const char *const brands_envelopes[] = {
	"Ames", "Cameo", "Jiffy", "Globe-Weis", "Kraft", "Tyvek",
	"Quality Park", "Mead", NULL
};
static const char *const brands_fasteners[] = {
	"Acco", "Advantus", "OIC", "Stockwell", "Ideal", "Acme", "Officemate",
	NULL
};
static const char *const brands_labels[] = {
	"Avery", "Smead", "Novimex", "Harbour Creations", "Dymo", "Brother",
	NULL
};
static const char *const brands_paper[] = {
	"Xerox", "Hammermill", "Eaton", "Southworth", "Ampad", "Post-it",
	"Green Bar", "Strathmore", NULL
};
static const char *const brands_storage[] = {
	"Fellowes", "Smead", "Eldon", "Tenex", "Rogers", "Sterilite", "Safco",
	"Hon", "Iris", "Akro-Mils", NULL
};
static const char *const brands_supplies[] = {
	"Acme", "Fiskars", "Stiletto", "Martin-Yale", "Elite", "Kleencut",
	"Swingline", "Bostitch", NULL
};
static const char *const brands_accessories[] = {
	"Logitech", "Belkin", "Kingston", "SanDisk", "Memorex", "Microsoft",
	"Razer", "Enermax", "Imation", "Plantronics", NULL
};
static const char *const brands_copiers[] = {
	"Canon", "Hewlett-Packard", "Sharp", "Brother", "Xerox", "Ricoh", NULL
};
static const char *const brands_machines[] = {
	"Okidata", "Epson", "Konica", "Zebra", "Panasonic", "Lexmark",
	"Texas Instruments", "Star Micronics", "Hewlett-Packard", "Brother",
	NULL
};
static const char *const brands_phones[] = {
	"Apple", "Samsung", "Nokia", "Motorola", "Cisco", "Polycom", "AT&T",
	"Panasonic", "Jabra", "Mitel", NULL
};

static const char *const furniture_sfx[] = {
	", Black", ", Walnut", ", Mahogany", ", Traditional", ", Adjustable",
	", Set of Two", " with Casters", ", Metal", ", 48\" Wide", ", Pine",
	", Blue", ", Oak", ", Cherry", ", Gray", " Mobile", NULL
};
static const char *const office_sfx[] = {
	", Blue", ", Assorted Colors", ", Recycled", ", 8.5\" x 11\"",
	", Pack of 12", ", Bulk Pack", " Refill", ", Durable", ", platinum",
	", Clear", ", Letter Size", " Set", ", Red", ", Black", ", 1\" Capacity",
	NULL
};
static const char *const tech_sfx[] = {
	", Full Size", ", Wireless", ", Black", ", White", ", Refurbished",
	", Cordless", " with Caller ID", ", Color", ", 16GB", ", VoIP", " Bundle",
	", 15\" Display", ", Red", ", Silver", NULL
};

static const char *const items_bookcases[] = {
	"Classic Bookcase", "Open Bookcase", "Library with Doors",
	"3-Shelf Bookcase", "5-Shelf Bookcase", "Corner Bookcase",
	"Mobile Bookcase", "Heavy-Duty Shelving", "Barrister Bookcase", NULL
};
static const char *const items_chairs[] = {
	"Executive Leather Armchair", "Task Chair", "Swivel Stool", "Mesh Chair",
	"Stacking Chair", "Ergonomic Chair", "Guest Chair", "Rocking Chair",
	"Folding Chair", NULL
};
static const char *const items_furnishings[] = {
	"Wall Clock", "Photo Frame", "Desk Lamp", "Chairmat", "Floor Mat",
	"Cable Organizer", "Window Blinds", "Tiered Wall Planter", "Coat Rack",
	"Door Stop", NULL
};
static const char *const items_tables[] = {
	"Conference Table", "Round Table", "Training Table", "Computer Table",
	"Folding Table", "Corner Table", "36\" x 72\" Conference Table",
	"30\" x 60\" Training Table", "48\" Round Table", NULL
};
static const char *const items_appliances[] = {
	"Microwave", "Refrigerator", "Toaster", "Coffee Maker", "Vacuum",
	"Space Heater", "Air Purifier", "Surge Protector", "Stove", "Humidifier",
	"Box Fan", NULL
};
static const char *const items_art[] = {
	"Pencil Sharpener", "Markers", "Highlighters", "Crayons", "Pens",
	"Canvas", "Sketch Pad", "Colored Pencils", "Easel", "Chalk", NULL
};
static const char *const items_binders[] = {
	"Binder", "Binding Machine", "Index Tabs", "Hole Punch",
	"Durable Binder", "1\" Ring Binder", "3\" Ring Binder", "Binding Covers",
	"Presentation Binder", "Binder Accessories", NULL
};
static const char *const items_envelopes[] = {
	"Business Envelopes", "Clasp Envelope", "Mailers",
	"Peel and Seal Envelope", "Interoffice Envelope", "Manila Envelope",
	"Window Envelope", NULL
};
static const char *const items_fasteners[] = {
	"Paper Clips", "Push Pins", "Thumb Tacks", "Rubber Bands", "Binder Clips",
	"Staples", "Clamps", "Fasteners", NULL
};
static const char *const items_labels[] = {
	"Shipping Labels", "Color Coded Labels", "File Folder Labels",
	"Removable Labels", "Address Labels", "Index Labels", "Round Labels",
	NULL
};
static const char *const items_paper[] = {
	"Copy Paper", "Message Books", "Memo Slips", "Note Cards", "Cardstock",
	"Parchment Paper", "Easel Pad", "Computer Printout Paper", NULL
};
static const char *const items_storage[] = {
	"File Cart", "Storage Box", "Shelving", "File Cabinet", "Lockers",
	"Trays", "Archive Boxes", "Drawer Organizer",
	"Base for stackable storage shelf", NULL
};
static const char *const items_supplies[] = {
	"Scissors", "Box Cutter", "Letter Opener", "Ruler", "Shears", "Trimmer",
	"Staple Remover", "Stapler", NULL
};
static const char *const items_accessories[] = {
	"Wireless Mouse", "Keyboard", "USB Flash Drive", "Headset",
	"Memory Card", "Webcam", "Router", "Speakers", "External Hard Drive",
	NULL
};
static const char *const items_copiers[] = {
	"Copier", "Personal Copier", "Wireless Fax", "Digital Copier",
	"Laser Copier", "Multifunction Copier", NULL
};
static const char *const items_machines[] = {
	"Printer", "Calculator", "Label Printer", "Shredder", "Receipt Printer",
	"Projector", "Fax Machine", "Card Printer", "Inkjet Printer", NULL
};
static const char *const items_phones[] = {
	"Smart Phone", "Cordless Phone", "Conference Phone", "Headset",
	"IP Phone", "Signal Booster", "Speaker Phone", "Office Telephone", NULL
};

const struct dw_gen_data_category dw_gen_data_categories[] = {
	{ "Furniture", "FUR", furniture_sfx },
	{ "Office Supplies", "OFF", office_sfx },
	{ "Technology", "TEC", tech_sfx },
};

const struct dw_gen_data_subcat dw_gen_data_subcats[] = {
	{ 0, "Bookcases", "BO", 2411, 40, 900, 800, 2500,
	  brands_bookcases, items_bookcases },
	{ 0, "Chairs", "CH", 3434, 30, 1200, 1000, 3000,
	  brands_chairs, items_chairs },
	{ 0, "Furnishings", "FU", 3170, 3, 250, 1500, 4000,
	  brands_furnishings, items_furnishings },
	{ 0, "Tables", "TA", 861, 80, 1500, 500, 2000,
	  brands_tables, items_tables },
	{ 1, "Appliances", "AP", 1755, 15, 1200, 1500, 3500,
	  brands_appliances, items_appliances },
	{ 1, "Art", "AR", 4883, 2, 60, 1500, 3500,
	  brands_art, items_art },
	{ 1, "Binders", "BI", 6152, 2, 250, 2000, 4500,
	  brands_binders, items_binders },
	{ 1, "Envelopes", "EN", 2435, 4, 60, 2500, 4500,
	  brands_envelopes, items_envelopes },
	{ 1, "Fasteners", "FA", 2420, 1, 25, 2000, 4000,
	  brands_fasteners, items_fasteners },
	{ 1, "Labels", "LA", 2606, 2, 30, 3000, 4800,
	  brands_labels, items_labels },
	{ 1, "Paper", "PA", 3538, 4, 70, 3000, 4800,
	  brands_paper, items_paper },
	{ 1, "Storage", "ST", 5059, 12, 600, 1000, 3000,
	  brands_storage, items_storage },
	{ 1, "Supplies", "SU", 2425, 4, 150, 500, 2500,
	  brands_supplies, items_supplies },
	{ 2, "Accessories", "AC", 3075, 8, 500, 2000, 4000,
	  brands_accessories, items_accessories },
	{ 2, "Copiers", "CO", 2223, 250, 3500, 2500, 4500,
	  brands_copiers, items_copiers },
	{ 2, "Machines", "MA", 1486, 40, 3000, 500, 3000,
	  brands_machines, items_machines },
	{ 2, "Phones", "PH", 3357, 20, 1500, 1000, 3000,
	  brands_phones, items_phones },
};

const char *const dw_gen_data_first_names[] = {
	"Aaron", "Adam", "Adrian", "Alan", "Alejandro", "Alex", "Andrés", "Anna",
	"Anne", "Barry", "Ben", "Björn", "Brenda", "Carl", "Carlos", "Chloé",
	"Christine", "Claire", "Dan", "Darrin", "David", "Dennis", "Eileen",
	"Emily", "Eric", "Erin", "Fernando", "François", "Frank", "Gary", "Grace",
	"Hans", "Harry", "Helen", "Irene", "Isabel", "Ivan", "Jack", "James",
	"Jasper", "Jennifer", "Joel", "José", "Julia", "Jürgen", "Karen",
	"Katrina", "Kevin", "Laura", "Lena", "Linda", "Luis", "Maria", "Mark",
	"Matt", "Michelle", "Nathan", "Neil", "Nina", "Olivia", "Oscar", "Pablo",
	"Patrick", "Paul", "Pete", "Quinn", "Rachel", "Raphaël", "Renée", "Resi",
	"Rick", "Ruth", "Sam", "Sanjit", "Sara", "Sean", "Søren", "Sonia",
	"Stefan", "Susan", "Ted", "Theresa", "Tom", "Tracy", "Uwe", "Valerie",
	"Victoria", "Vivek", "William", "Xavier", "Yana", "Yoshi", "Zoë", NULL
};
const char *const dw_gen_data_last_names[] = {
	"Abelman", "Bergman", "Bolton", "Brown", "Chen", "Cheng", "De Silva",
	"Dunn", "Dvořák", "Eriksson", "Fischer", "Französisch", "García",
	"Gómez", "Gute", "Hernández", "Hoffmann", "Ito", "Jensen", "Johnson",
	"Kim", "Kowalski", "Lee", "López", "Martin", "Müller", "Nakamura",
	"Nguyen", "Núñez", "O'Brien", "Okafor", "Patel", "Pölking", "Quinn",
	"Rossi", "Santos", "Schäfer", "Schmidt", "Shami", "Silva", "Singh",
	"Smith", "Suzuki", "Tanaka", "Thompson", "Van Huff", "Wagner", "Wang",
	"Weber", "Xu", "Yamamoto", "Young", "Zhang", "Zimmermann", NULL
};
const char *const dw_gen_data_fixed_customers[][2] = {
	{ "Resi", "Pölking" }, { "Neil", "Französisch" }, { "Adrian", "Shami" },
	{ "Zoë", "Müller" }, { "José", "Núñez" }, { "Claire", "Gute" },
	{ "Darrin", "Van Huff" },
};

const char *const dw_gen_data_segments[] = { "Consumer", "Corporate", "Home Office" };
const int dw_gen_data_segment_w[] = { 50, 30, 20 };

const char *const dw_gen_data_ship_modes[DW_GEN_DATA_SM_COUNT] = {
	"Standard Class", "Second Class", "First Class", "Same Day",
};
const int dw_gen_data_ship_mode_w[DW_GEN_DATA_SM_COUNT] = { 60, 20, 15, 5 };
const int dw_gen_data_ship_days[DW_GEN_DATA_SM_COUNT][2] = {
	{ 4, 7 }, { 2, 5 }, { 1, 3 }, { 0, 0 },
};
const int dw_gen_data_ship_cost_bp[DW_GEN_DATA_SM_COUNT][2] = {
	{ 500, 900 }, { 700, 1100 }, { 900, 1300 }, { 1100, 1450 },
};

const char *const dw_gen_data_priorities[] = { "Critical", "High", "Medium", "Low" };
const int dw_gen_data_priority_w[DW_GEN_DATA_SM_COUNT][DW_GEN_DATA_NPRIORITY] = {
	{ 6, 28, 58, 8 }, { 8, 32, 60, 0 }, { 10, 35, 55, 0 }, { 30, 45, 25, 0 },
};
const int dw_gen_data_priority_cost_bp[] = { 100, 50, 0, 0 };

const int dw_gen_data_lines_w[] = { 45, 25, 14, 8, 5, 3 };
const int dw_gen_data_qty_w[] = {
	95, 240, 220, 120, 100, 60, 60, 30, 25, 15, 10, 9, 8, 8
};
const int dw_gen_data_month_w[] = {
	60, 62, 90, 85, 95, 100, 80, 105, 130, 110, 140, 150
};
const int dw_gen_data_wday_w[] = { 50, 100, 100, 100, 100, 100, 60 };

_Static_assert(NELEM(dw_gen_data_countries) == DW_GEN_DATA_NCOUNTRY, "DW_GEN_DATA_NCOUNTRY");
_Static_assert(NELEM(dw_gen_data_cities) == DW_GEN_DATA_NCITY, "DW_GEN_DATA_NCITY");
_Static_assert(NELEM(dw_gen_data_subcats) == DW_GEN_DATA_NSUB, "DW_GEN_DATA_NSUB");
_Static_assert(NELEM(dw_gen_data_fixed_customers) == DW_GEN_DATA_NFIXED_CUSTOMERS,
	       "DW_GEN_DATA_NFIXED_CUSTOMERS");
_Static_assert(NELEM(dw_gen_data_segments) == DW_GEN_DATA_NSEGMENT &&
	       NELEM(dw_gen_data_segment_w) == DW_GEN_DATA_NSEGMENT, "DW_GEN_DATA_NSEGMENT");
_Static_assert(NELEM(dw_gen_data_priorities) == DW_GEN_DATA_NPRIORITY &&
	       NELEM(dw_gen_data_priority_cost_bp) == DW_GEN_DATA_NPRIORITY,
	       "DW_GEN_DATA_NPRIORITY");
_Static_assert(NELEM(dw_gen_data_lines_w) == DW_GEN_DATA_MAX_LINES, "DW_GEN_DATA_MAX_LINES");
_Static_assert(NELEM(dw_gen_data_qty_w) == DW_GEN_DATA_MAX_QTY, "DW_GEN_DATA_MAX_QTY");
_Static_assert(NELEM(dw_gen_data_month_w) == 12, "one weight per month");
_Static_assert(NELEM(dw_gen_data_wday_w) == 7, "one weight per weekday");
