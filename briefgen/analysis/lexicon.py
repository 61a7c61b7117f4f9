"""Small word lists for the rule-based name finder and quote attribution (lower-case unless noted).

Kept deliberately general (titles, function words, places of the world): nothing here is tuned to one
article or outlet.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of text, as a set (trailing commas dropped)."""
    return frozenset(word.strip(",") for word in text.split())


def _lines(text: str) -> frozenset[str]:
    return frozenset(line.strip() for line in text.strip().splitlines() if line.strip())


# Verbs (and "according to") that introduce or close a direct quotation.
SPEECH_VERBS = words(
    """
    said says say saying told tells tell added adds asked asks stated states wrote writes explained
    explains noted notes recalled recalls continued continues insisted insists argued argues declared
    declares replied replies responded responds answered answers warned warns tweeted tweets posted
    claimed claims acknowledged acknowledges admitted admits conceded concedes joked jokes quipped
    complained complains predicted predicts suggested suggests announced announces remarked observed
    concluded concludes cautioned cautions urged urges shouted yelled testified countered counters
    emphasized emphasised stressed stresses recounted boasted boasts vowed vows promised promises
    lamented laments mused agreed agrees charged charges reiterated reiterates added, wondered
    thundered snapped exclaimed proclaimed proclaims announced, confirmed confirms explained, texted
    emailed messaged writing telling asking adding noting explaining arguing insisting warning
    interjected interjects chimed retorted responded wrote offered laughed sighed pleaded conceded
    marveled marvelled griped fumed scoffed sniffed gushed raved opined ventured demanded questioned
    challenged accused predicted recalled reminded counseled counselled advised assured informed
    announced recounted describing declaring claiming stating responding replying continuing
    acknowledging admitting suggesting urging predicting recalling reacted reported reports write
    reads explains elaborated elaborates chanted screamed cried shrieked whispered murmured muttered
    exhorted retaliated blogged cheered booed hollered bellowed roared intoned sneered echoed announce declare
    """
)

# Verbs of paraphrase that carry partial quotes ("dismissed the goals as “unrealistic”").
PARAPHRASE_VERBS = words(
    """
    called calls calling described describes describing dismissed dismisses labelled labeled labels
    termed terms branded brands denounced denounces praised praises criticized criticised criticizes
    criticises slammed slams blasted blasts hailed hails pledged pledges decried decries condemned
    condemns lauded mocked mocks derided derides characterized characterised dubbed dubs referred
    refers accused accuses promised vowed warned urged welcomed welcomes applauded applauds thanked
    endorsed endorses rejected rejects questioned insisted argued
    """
)

PRONOUNS_MALE = words("he him his himself")
PRONOUNS_FEMALE = words("she her hers herself")
PRONOUNS_PLURAL = words("they them their we us our")
PRONOUNS_FIRST = words("i")
SUBJECT_PRONOUNS = words("he she they we i")

# Title words before a name (lower-case, without the final period).
PERSON_TITLES = words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father sister rabbi imam pastor
    ag president vice chairman chairwoman chair ceo cfo coo founder senator sen rep representative congressman
    congresswoman congressmember councilmember councillor councilor coun gov governor lt lieut premier
    minister secretary ambassador envoy mayor deputy chief commissioner superintendent supt inspector insp
    detective det sergeant sgt constable const cst corporal cpl officer trooper sheriff marshal captain capt
    col colonel gen general maj major adm admiral commander cmdr lieutenant private pte judge justice
    attorney lawyer prosecutor director spokesman spokeswoman spokesperson speaker leader king queen prince
    princess pope cardinal bishop archbishop chancellor mp mpp mla mna mep candidate nominee coach
    economist analyst professor, pollster strategist adviser advisor aide treasurer auditor
    whip reeve warden coroner ombudsman ombudsperson
    """
)

# Job and standing nouns written before a name at the start of a sentence or headline ("Actor Jamie
# Foxx ...", "Teenager Sania Mirza ..."): capitalised there only by position, so a description, not a
# first name. Only read as such before two or more capitalised words.
OCCUPATIONS = words(
    """
    actor actress singer songwriter singer-songwriter rapper producer film-maker filmmaker comedian comic
    presenter broadcaster newsreader dj musician guitarist drummer bassist pianist composer conductor
    novelist author writer poet playwright screenwriter artist painter sculptor photographer designer
    dancer choreographer chef model star superstar newcomer teenager youngster striker midfielder
    defender goalkeeper winger forward captain skipper manager sprinter hurdler athlete runner swimmer
    cyclist golfer boxer jockey referee umpire batsman bowler tycoon billionaire businessman
    businesswoman entrepreneur investor banker solicitor barrister campaigner activist veteran
    frenchman englishman irishman scotsman welshman
    """
)

# Descriptions that name a person by role ("the minister said"): head nouns.
ROLE_NOUNS = PERSON_TITLES | words(
    """
    spokesman spokeswoman spokesperson official source witness resident neighbour neighbor victim suspect
    owner manager executive president official expert researcher scientist doctor nurse teacher student
    author writer reporter journalist editor host anchor commentator columnist activist organizer organiser
    candidate nominee challenger incumbent frontrunner front-runner billionaire businessman businesswoman
    mogul magnate developer veteran supporter critic opponent protester protestor voter father mother son
    daughter brother sister wife husband friend partner colleague lawmaker legislator politician
    republican democrat conservative liberal strategist consultant pollster adviser advisor aide staffer
    leader boss founder chairman chairwoman chair head principal president-elect sheriff officer
    """
)

# Nouns that make a description (or a capitalised name) an organisation.
ORG_NOUNS = words(
    """
    ministry department agency office police service services force forces army navy military government
    administration campaign committee commission council board party union association federation
    company corporation firm bank group network newspaper paper magazine outlet station team court
    tribunal parliament congress senate legislature assembly house embassy consulate institute
    university college school hospital foundation organization organisation coalition alliance
    authority authorities regulator inc ltd corp co llc plc club league church charity fund rcmp opp
    cabinet caucus secretariat bureau directorate centre center society trust council, guard
    """
)

# Capitalised words that mark a name as an organisation.
ORG_WORDS = words(
    """
    Party Ministry Department Agency Office Police Service Services Force Forces Army Navy Guard Government
    Administration Campaign Committee Commission Council Board Union Association Federation Company Corp
    Corporation Inc Ltd LLC PLC Co Group Bank Network News Times Post Journal Herald Tribune Gazette
    Press Star Globe Mail Telegraph Guardian Chronicle Courier Examiner Review Magazine Daily Weekly
    Radio Television TV Broadcasting Media Court Tribunal Parliament Congress Senate Legislature Assembly
    Embassy Institute University College School Academy Hospital Clinic Foundation Organization
    Organisation Coalition Alliance Authority Commission Conference Summit Forum Club League Church
    Charity Fund Trust Society Center Centre Bureau Directorate Caucus Cabinet Secretariat Airlines
    Airways Motors Technologies Systems Industries Holdings Partners Capital Energy Labs Laboratories
    Institute Initiative Project Movement Front Brotherhood Council Watch International Foundation
    Reserve Exchange Associates Insurance Pharmaceuticals Group Games Olympics Olympic FC United
    """
)

ORG_WORDS = ORG_WORDS | words(
    """
    Tobacco Foods Pharma Oil Gas Steel Mining Telecom Communications Entertainment Records Studios Pictures
    Brands Stores Bancorp Financial Securities Investments Realty Petroleum Chemicals Electric Railway
    Railways Transit Hydro Automotive Aerospace Logistics Ventures Solutions
    """
)
ORG_WORDS = ORG_WORDS | frozenset(w + "s" for w in ORG_WORDS if not w.endswith("s"))

# Capitalised words that end the name of an event: neither person, organisation nor place.
EVENT_WORDS = words(
    "Show Expo Festival Cup Championship Championships Awards Olympics Games Marathon Fair Week Day"
)

KNOWN_ORGS = _lines(
    """
    NATO
    Fox News
    CNN
    BBC
    CBC
    CTV
    NBC
    ABC
    CBS
    MSNBC
    NPR
    PBS
    Reuters
    Associated Press
    AP
    AFP
    Bloomberg
    White House
    Pentagon
    Kremlin
    Downing Street
    Capitol
    Google
    Facebook
    Twitter
    Amazon
    Apple
    Microsoft
    Meta
    Tesla
    Netflix
    Uber
    YouTube
    Instagram
    TikTok
    Wikileaks
    WikiLeaks
    Hamas
    Hezbollah
    Taliban
    Islamic State
    ISIS
    ISIL
    al-Qaeda
    Al Qaeda
    European Union
    United Nations
    Interpol
    Europol
    Medicare
    Medicaid
    Planned Parenthood
    Breitbart
    Breitbart News
    Politico
    Vox
    Axios
    Walmart
    Boeing
    Airbus
    Hydro-Québec
    Hydro One
    Via Rail
    Air Canada
    WestJet
    Statistics Canada
    Health Canada
    Canada Post
    Elections Canada
    Parks Canada
    Transport Canada
    Environment Canada
    Global Affairs Canada
    Crown
    Scotland Yard
    Vatican
    Democrats
    Republicans
    Democratic Party
    Republican Party
    Liberals
    Conservatives
    Tories
    NDP
    Bloc Québécois
    Greens
    GOP
    """
)

# Acronyms that are places, not organisations.
PLACE_ACRONYMS = words(
    "U.S. US U.S.A. USA U.K. UK UAE U.A.E. EU D.C. B.C. P.E.I. N.W.T. N.S. N.B. N.L. L.A. N.Y."
)

PLACES = _lines(
    """
    Afghanistan
    Albania
    Algeria
    Andorra
    Angola
    Argentina
    Armenia
    Australia
    Austria
    Azerbaijan
    Bahamas
    Bahrain
    Bangladesh
    Barbados
    Belarus
    Belgium
    Belize
    Benin
    Bhutan
    Bolivia
    Bosnia
    Botswana
    Brazil
    Brunei
    Bulgaria
    Burkina Faso
    Burundi
    Cambodia
    Cameroon
    Canada
    Chad
    Chile
    China
    Colombia
    Congo
    Costa Rica
    Croatia
    Cuba
    Cyprus
    Czech Republic
    Czechia
    Denmark
    Djibouti
    Dominican Republic
    Ecuador
    Egypt
    El Salvador
    Eritrea
    Estonia
    Ethiopia
    Fiji
    Finland
    France
    Gabon
    Gambia
    Georgia
    Germany
    Ghana
    Greece
    Greenland
    Guatemala
    Guinea
    Guyana
    Haiti
    Honduras
    Hungary
    Iceland
    India
    Indonesia
    Iran
    Iraq
    Ireland
    Israel
    Italy
    Ivory Coast
    Jamaica
    Japan
    Jordan
    Kazakhstan
    Kenya
    Kosovo
    Kuwait
    Kyrgyzstan
    Laos
    Latvia
    Lebanon
    Liberia
    Libya
    Liechtenstein
    Lithuania
    Luxembourg
    Madagascar
    Malawi
    Malaysia
    Maldives
    Mali
    Malta
    Mauritania
    Mauritius
    Mexico
    Moldova
    Monaco
    Mongolia
    Montenegro
    Morocco
    Mozambique
    Myanmar
    Burma
    Namibia
    Nepal
    Netherlands
    New Zealand
    Nicaragua
    Niger
    Nigeria
    North Korea
    North Macedonia
    Norway
    Oman
    Pakistan
    Palestine
    Panama
    Papua New Guinea
    Paraguay
    Peru
    Philippines
    Poland
    Portugal
    Qatar
    Romania
    Russia
    Rwanda
    Saudi Arabia
    Senegal
    Serbia
    Sierra Leone
    Singapore
    Slovakia
    Slovenia
    Somalia
    South Africa
    South Korea
    South Sudan
    Spain
    Sri Lanka
    Sudan
    Suriname
    Sweden
    Switzerland
    Syria
    Taiwan
    Tajikistan
    Tanzania
    Thailand
    Togo
    Trinidad
    Tunisia
    Turkey
    Turkmenistan
    Uganda
    Ukraine
    United Arab Emirates
    United Kingdom
    Britain
    Great Britain
    England
    Scotland
    Wales
    Northern Ireland
    United States
    America
    Uruguay
    Uzbekistan
    Venezuela
    Vietnam
    Yemen
    Zambia
    Zimbabwe
    Europe
    Asia
    Africa
    North America
    South America
    Latin America
    Middle East
    Central Asia
    Eastern Europe
    Western Europe
    Southeast Asia
    Scandinavia
    Balkans
    Caribbean
    Arctic
    Antarctica
    Crimea
    Donbas
    Donbass
    Gaza
    Gaza Strip
    West Bank
    Kashmir
    Tibet
    Hong Kong
    Macau
    Puerto Rico
    Kyiv
    Kiev
    Moscow
    Brussels
    Washington
    London
    Paris
    Berlin
    Rome
    Madrid
    Lisbon
    Dublin
    Amsterdam
    The Hague
    Vienna
    Prague
    Warsaw
    Budapest
    Bucharest
    Sofia
    Athens
    Istanbul
    Ankara
    Stockholm
    Oslo
    Copenhagen
    Helsinki
    Tallinn
    Riga
    Vilnius
    Minsk
    Kharkiv
    Odesa
    Odessa
    Lviv
    Mariupol
    Donetsk
    Luhansk
    Zaporizhzhia
    Kherson
    Bakhmut
    Munich
    Frankfurt
    Hamburg
    Geneva
    Zurich
    Davos
    Milan
    Naples
    Barcelona
    Marseille
    Lyon
    Manchester
    Liverpool
    Birmingham
    Edinburgh
    Glasgow
    Belfast
    Cardiff
    Beijing
    Shanghai
    Tokyo
    Seoul
    Pyongyang
    Taipei
    Bangkok
    Hanoi
    Manila
    Jakarta
    New Delhi
    Delhi
    Mumbai
    Islamabad
    Karachi
    Kabul
    Tehran
    Baghdad
    Damascus
    Beirut
    Jerusalem
    Tel Aviv
    Amman
    Riyadh
    Doha
    Dubai
    Abu Dhabi
    Cairo
    Tripoli
    Tunis
    Algiers
    Nairobi
    Lagos
    Abuja
    Johannesburg
    Cape Town
    Addis Ababa
    Khartoum
    Sydney
    Melbourne
    Canberra
    Auckland
    Wellington
    Mexico City
    Havana
    Caracas
    Bogota
    Bogotá
    Lima
    Santiago
    Buenos Aires
    Brasilia
    Rio de Janeiro
    São Paulo
    Sao Paulo
    New York
    New York City
    Los Angeles
    Chicago
    Houston
    Philadelphia
    Phoenix
    San Antonio
    San Diego
    Dallas
    San Francisco
    Seattle
    Boston
    Miami
    Atlanta
    Denver
    Detroit
    Baltimore
    Las Vegas
    Portland
    Cleveland
    Pittsburgh
    Cincinnati
    Milwaukee
    Minneapolis
    St. Louis
    Kansas City
    New Orleans
    Nashville
    Charlotte
    Orlando
    Tampa
    Austin
    Sacramento
    Honolulu
    Anchorage
    Des Moines
    Manchester
    Charleston
    Columbus
    Indianapolis
    San Bernardino
    Ferguson
    Brooklyn
    Manhattan
    Queens
    Bronx
    Silicon Valley
    Wall Street
    El Paso
    Palo Alto
    Central America
    Capitol Hill
    Mar-a-Lago
    Guantanamo
    Alabama
    Alaska
    Arizona
    Arkansas
    California
    Colorado
    Connecticut
    Delaware
    Florida
    Hawaii
    Idaho
    Illinois
    Indiana
    Iowa
    Kansas
    Kentucky
    Louisiana
    Maine
    Maryland
    Massachusetts
    Michigan
    Minnesota
    Mississippi
    Missouri
    Montana
    Nebraska
    Nevada
    New Hampshire
    New Jersey
    New Mexico
    North Carolina
    North Dakota
    Ohio
    Oklahoma
    Oregon
    Pennsylvania
    Rhode Island
    South Carolina
    South Dakota
    Tennessee
    Texas
    Utah
    Vermont
    Virginia
    West Virginia
    Wisconsin
    Wyoming
    Ontario
    Quebec
    Québec
    British Columbia
    Alberta
    Saskatchewan
    Manitoba
    Nova Scotia
    New Brunswick
    Newfoundland
    Newfoundland and Labrador
    Labrador
    Prince Edward Island
    Yukon
    Northwest Territories
    Nunavut
    Toronto
    Montreal
    Montréal
    Vancouver
    Calgary
    Edmonton
    Ottawa
    Winnipeg
    Quebec City
    Hamilton
    Kitchener
    Waterloo
    London
    Victoria
    Halifax
    Oshawa
    Windsor
    Saskatoon
    Regina
    St. John's
    Barrie
    Kelowna
    Abbotsford
    Sudbury
    Kingston
    Saguenay
    Trois-Rivières
    Guelph
    Moncton
    Brampton
    Mississauga
    Markham
    Surrey
    Burnaby
    Richmond
    Laval
    Gatineau
    Longueuil
    Fredericton
    Charlottetown
    Whitehorse
    Yellowknife
    Iqaluit
    Thunder Bay
    Lethbridge
    Red Deer
    Nanaimo
    Kamloops
    Prince George
    Fort McMurray
    Niagara Falls
    Peterborough
    Belleville
    Scarborough
    Etobicoke
    Durham
    Peel
    York Region
    Greater Toronto Area
    GTA
    Lower Mainland
    Vancouver Island
    Prairies
    Atlantic Canada
    """
)

# Canonical display names for places written in several ways.
PLACE_ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "U.S.A.": "United States",
    "USA": "United States",
    "America": "United States",
    "U.K.": "United Kingdom",
    "UK": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Kiev": "Kyiv",
    "Odessa": "Odesa",
    "Donbass": "Donbas",
    "Québec": "Quebec",
    "Montréal": "Montreal",
    "Bogotá": "Bogota",
    "Sao Paulo": "São Paulo",
    "New York City": "New York",
    "Burma": "Myanmar",
    "Czechia": "Czech Republic",
    "UAE": "United Arab Emirates",
    "U.A.E.": "United Arab Emirates",
    "D.C.": "Washington",
    "B.C.": "British Columbia",
    "P.E.I.": "Prince Edward Island",
    "N.W.T.": "Northwest Territories",
    "N.S.": "Nova Scotia",
    "N.B.": "New Brunswick",
    "N.L.": "Newfoundland and Labrador",
    "L.A.": "Los Angeles",
    "N.Y.": "New York",
    "EU": "European Union",
}

# Capitalised words that end the name of a law or treaty: neither person, organisation nor place.
LAW_WORDS = words(
    "Act Acts Bill Treaty Accord Accords Amendment Charter Code Directive Regulation Regulations"
)

# Capitalised words that make a name a place ("North Strand", "Lake Ontario", "Union Station").
PLACE_WORDS = words(
    """
    North South East West Upper Lower Lake Mount Mt River Bay Island Islands Street St Road Avenue Ave
    Boulevard Park Square Bridge Beach Valley Hill Hills Forest Airport Harbour Harbor Port Fort Point
    Cape Coast Strand Falls Heights County Province State District Region City Town Village Township
    Peninsula Gulf Sea Ocean Canyon Creek Glacier Desert Highway Plaza Mountains Range Sound Strait
    Tower Towers Wall
    """
)

# Adjectives of nationality, party or religion: capitalised, never a name by themselves.
DEMONYMS = words(
    """
    American Americans Canadian Canadians British Briton Britons English Scottish Welsh Irish French German
    Germans Italian Spanish Portuguese Dutch Belgian Swiss Austrian Polish Czech Hungarian Romanian
    Bulgarian Greek Turkish Russian Russians Ukrainian Ukrainians Belarusian Georgian Armenian Swedish
    Norwegian Danish Finnish Estonian Latvian Lithuanian European Europeans Chinese Japanese Korean
    Indian Pakistani Afghan Iranian Iraqi Syrian Israeli Israelis Palestinian Palestinians Lebanese
    Jordanian Egyptian Saudi Emirati Qatari Yemeni Libyan African Nigerian Kenyan Ethiopian Australian
    Mexican Cuban Venezuelan Brazilian Argentine Colombian Chilean Peruvian Asian Arab Arabs Muslim
    Muslims Christian Christians Jewish Jew Jews Catholic Catholics Protestant Evangelical Evangelicals
    Hispanic Latino Latina Latinos Western Eastern Northern Southern Soviet Nazi Islamist Islamic
    Democratic Democrat Democrats Republican Republicans Conservative Conservatives Liberal Liberals
    Progressive Progressives Libertarian Green Tory Tories Labour Labor NDP Indigenous First Nations
    Québécois Quebecer Quebecers Ontarian Ontarians Albertan Albertans Californian Texan Floridian
    Federal Provincial National Congressional Presidential Former Acting Interim Deputy Senior Junior
    """
)

DEMONYMS_LOWER = frozenset(d.lower() for d in DEMONYMS) | words("former senior chief deputy assistant acting")

# Capitalised words that start sentences or headlines and are never names by themselves.
STOP_CAPS = words(
    """
    The A An This That These Those There Here It Its He She They We I You His Her Their Our My Your Him
    Them Us Me But And Or Nor So If When While As At In On Of For With Without Within After Before
    During Despite However Although Though Since Because Also Still Yet Then Now Meanwhile Why What Who
    Whom Whose Which How Where Some Many Most Much More Less Few Several Both All Each Every Either
    Neither No Not None Nothing Others Other One Two Three Four Five Six Seven Eight Nine Ten Everything Something Anything Everyone Someone Anyone Nobody Last Next
    First Second Third Final Other Another Such Only Even Just Yes Well Oh Instead Indeed Thus Hence
    Therefore Moreover Furthermore Besides Rather Perhaps Maybe Sometimes Often Already Later Earlier
    Today Tonight Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April June July August September October November December Jan Feb Mar Apr Jun Jul
    Aug Sep Sept Oct Nov Dec Under Over Above Below Between Among Against Across Through Into Onto Upon
    About Around Amid Amidst From To By Like Unlike Until Till Unless Whether Once Whenever Wherever
    Whatever Whoever Asked Told Said Says According Please Thank Thanks Dear Update Updated Editor
    Note Photo Video Watch Read Related Click Share Subscribe Advertisement Sign Breaking Live Exclusive
    Opinion Analysis Commentary Sources Officials Police Authorities Critics Supporters Residents
    People Experts Analysts Lawmakers Voters Americans Canadians Do Does Did Is Are Was Were Be Been
    Has Have Had Will Would Can Could Should Shall May Might Must Let Let's Don't Didn't Isn't It's
    That's There's What's We're They're I'm I've I'd You're He's She's Let Get Go Going Look Let
    Mr Mrs Ms Dr St Sen Rep Gov Gen Lt Col Sgt Jr Sr Inc Ltd Co Corp God Lord Internet Web
    """
)

# Capitalised words among STOP_CAPS that are also surnames ("Elizabeth May", "George Will", "Ian Read"):
# a name after a given name, and a speaker right before a speech verb ("“…,” May said").
SURNAME_CAPS = words("May Will Read Rather Jun")

GIVEN_MALE = words(
    """
    Ed Miles Art Rich
    James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
    Anthony Mark Donald Steven Steve Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald
    Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon
    Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam
    Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald
    Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan
    Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip
    Louis Bill Bob Jim Tom Mike Dave Dan Ben Sam Tim Tony Ted Chris Nick Rick Ron Jeb Mitt Newt Rand
    Marco Bernie Barack Hillary Vladimir Volodymyr Pete Joe Kamala Rudy Rudolph Ted Lindsey Mitch Chuck
    Kellyanne Reince Corey Rex Jared Mike Jeff Hakeem Justin Stephen Pierre Jean Jacques François
    Emmanuel Boris Keir Rishi Olaf Angela Xi Narendra Benjamin Recep Recep Viktor Sergei Sergey Dmitry
    Dmitri Alexei Alexey Andriy Andrii Oleksandr Oleksiy Petro Yulia Ivan Igor Yuri Mikhail Nikolai
    Ahmed Mohammed Muhammad Mohammad Ali Omar Hassan Hussein Khalid Abdul Abdullah Bashar Ayatollah
    Carlos Luis Jorge Miguel Pedro Antonio Manuel Francisco Rafael Javier Diego Andrés Andres Fernando
    Hans Klaus Jürgen Wolfgang Friedrich Heinrich Giuseppe Giovanni Matteo Luca Marco Emmanuel Nicolas
    Doug Jagmeet Maxime Erin Andrew Jason Gerald Dominic Chrystia Mark Kenney Ralph Blaine Scott Danielle
    Wab Tim Brad Dwight Moe Jim Greg Darrell Randy Colin Ian Graham Neil Malcolm Gordon Hugh Stuart
    Duncan Fraser Angus Ross Craig Derek Trevor Barry Glen Glenn Dale Dean Marc Luc Yves Guy Denis Rene
    René Rob Ken Ray Don Jay Kurt Todd Chad Brett Cody Travis Troy Wade Lance Clint Clay Curtis Marvin
    Howard Leonard Herbert Stanley Harvey Lloyd Leon Melvin Gilbert Franklin Harry Frederick Fred Ernest
    Martin Max Oscar Victor Hugo Felix Simon Oliver Owen Liam Lucas Leo Luke Isaac Caleb Evan Ian Joel
    Jonah Levi Seth Shawn Shane Marcus Mario Ricardo Roberto Eduardo Sergio Alejandro Enrique
    Kareem Tariq Rashid Hamid Ahmad Mahmoud Yousef Yusuf Ibrahim Ismail Mustafa Rahul Raj Ravi Sanjay
    Vijay Amit Arjun Wei Li Jun Hiroshi Takeshi Kim Shinzo Fumio Moon Yoon Rodrigo Ferdinand Jair Lula
    Elon Jeff Warren Rupert Sundar Satya Tim Larry Sergey Travis Roger Rupert
    """
)

GIVEN_FEMALE = words(
    """
    Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret
    Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca
    Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha
    Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie
    Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah Martha
    Jacqueline Frances Gloria Ann Anne Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail Julia
    Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie Isabella
    Charlotte Rose Alexis Kayla Hillary Nancy Elizabeth Kamala Sarah Nikki Michele Carly Condoleezza
    Madeleine Sonia Sonya Huma Kellyanne Hope Ivanka Melania Tiffany Chelsea Tulsi Elizabeth Amy Kirsten
    Dianne Barbara Maxine Ilhan Alexandria Rashida Ayanna Liz Debbie Susana Jeanne Jeanine Laura
    Kathleen Kathy Katie Kate Kat Betsy Marsha Maggie Sheila Lynn Lynne Marcia Paula Wendy Tina Tammy
    Chrystia Mélanie Melanie Catherine Jody Kathleen Rachel Christy Caroline Danielle Jenny Jennifer
    Andrea Patty Anita Carla Ginette Marie-Claude Valérie Valerie Isabelle Sophie Chantal Nathalie
    Geneviève Genevieve Josée Josee Manon Julie Céline Celine Mélanie Françoise Francoise Brigitte
    Angela Ursula Theresa Liz Kemi Giorgia Marine Ségolène Annalena Jacinda Julia Tsai Ing-wen Yulia
    Svetlana Olga Natalia Natalya Irina Tatiana Elena Oksana Iryna Olena Maryna Anastasia Lyudmila
    Aisha Fatima Amina Zainab Leila Layla Yasmin Malala Priya Indira Sonia Benazir Aung Carrie Hong
    Jill Joy Gail Gwen Faith Erica Erika Heidi Holly Ivy Jane Janet Joanna Joanne Jo Josephine
    Kristen Kristin Krista Kristina Lena Leah Lily Lucy Mia Molly Monica Nora Paige Penny Rita Robin
    Sally Shannon Stacey Stacy Susanne Suzanne Tara Tracy Vanessa Vera Wanda Yvonne Zoe Zoë Zoey
    Ellen Eleanor Edith Esther Ella Claire Clara Colleen Courtney Cristina Daisy Dana Dawn Della Elaine
    Eileen Emilia Eva Eve Gina Glenda Hazel Irene Jasmine Joy Judith Karin Kara Lori Lorraine Lydia
    Mandy Marlene Meghan Megan Miranda Naomi Nina Noreen Patsy Peggy Priscilla Rhonda Roberta Rosa
    Sabrina Selena Sheryl Stella Sylvia Terri Tonya Ursula Veronica Whitney
    """
)

# Determiners that open a description of a speaker ("the minister", "a spokesman for X").
DESCRIPTION_HEADS = words("the a an one another two three several some his her their its our this that")

# A name on both lists ("Jean", "Kim") tells us nothing about gender.
_AMBIGUOUS = words("Jean Kim Robin Jordan Dana Lynn Jo")
GIVEN_MALE = GIVEN_MALE - GIVEN_FEMALE - _AMBIGUOUS
GIVEN_FEMALE = GIVEN_FEMALE - _AMBIGUOUS
GIVEN_NAMES = GIVEN_MALE | GIVEN_FEMALE | _AMBIGUOUS
