/// Names in rough order of frequency in England and Wales, with some that carry accents or have
/// common short forms, so that the noise has something to work on.
enum NamePools {
    static let female = [
        "Sarah", "Emma", "Laura", "Rebecca", "Claire", "Gemma", "Nicola", "Kelly", "Jennifer", "Amy",
        "Rachel", "Louise", "Victoria", "Samantha", "Jessica", "Charlotte", "Katherine", "Hannah", "Lisa",
        "Michelle", "Joanne", "Elizabeth", "Stephanie", "Natalie", "Helen", "Catherine", "Zoë", "Chloé",
        "Sian", "Siân", "Fatima", "Aisha", "Ayesha", "Priya", "Anna", "Jane", "Mary", "Susan", "Deborah",
        "Patricia", "Margaret", "Christine", "Danielle", "Kimberley", "Jacqueline", "Rosemary", "Abigail",
        "Olivia", "Frances", "Renée", "Agnieszka", "Małgorzata", "Joanna", "Monika", "Ewa", "Zainab",
        "Paula", "Louisa", "Alexandra", "Eleanor", "Isabel", "Lucinda", "Pamela", "Valerie", "Judith",
    ]
    static let male = [
        "David", "James", "Daniel", "Michael", "Christopher", "Matthew", "Andrew", "Mark", "Paul", "Richard",
        "Robert", "Thomas", "Steven", "John", "Stephen", "Adam", "Lee", "Peter", "Benjamin", "Jonathan",
        "Anthony", "William", "Nicholas", "Simon", "Alexander", "Mohammed", "Muhammad", "Ahmed", "Ali",
        "Imran", "Raj", "José", "Søren", "Łukasz", "Piotr", "Tomasz", "Krzysztof", "Gareth", "Rhys",
        "Dafydd", "Edward", "Samuel", "Joseph", "Patrick", "Francis", "Gregory", "Kenneth", "Frederick",
        "Timothy", "Philip", "Oliver", "Harold", "Ronald", "Terence", "Leonard", "Geoffrey", "Gerald",
        "Bernard", "Donald", "Charles", "Henry", "Laurence", "Dominic", "Sebastian", "Zachary",
    ]
    static let family = [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
        "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
        "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
        "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
        "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
        "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
        "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders",
        "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
        "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan",
        "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett",
        "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
        "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver",
        "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson",
        "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman",
        "Warren", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis",
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Jalapeño-Pérez", "Thorne-Smith", "Ó Súilleabháin", "Nørgaard",
    ]
    static let streets = [
        "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street", "London Road",
        "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "The Crescent",
        "Queens Road", "New Road", "Grange Road", "Kings Road", "Kingsway", "Windsor Road", "Highfield Road",
        "Mill Lane", "Alexander Road", "York Road", "St. John's Road", "Main Road", "Broadway", "King Street",
        "The Green", "Springfield Road", "George Street", "Park Lane", "Victoria Street", "Albert Road",
        "Queensway", "New Street", "Queen Street", "West Street", "North Street", "Manchester Road", "The Drive",
        "Richmond Road", "Grove Road", "South Street", "School Lane", "The Close", "Mill Road", "Chester Road",
    ]
    static let shortStreetWords = ["Street": "St", "Road": "Rd", "Avenue": "Ave", "Lane": "Ln", "Drive": "Dr", "Close": "Cl"]
    static let titles = ["female": ["Mrs", "Ms", "Miss"], "male": ["Mr"]]
    /// Short forms the MIS may hold instead of the full name (a subset of the matcher's table: the
    /// generator must not be written from the matcher's own answers).
    static let nicknames: [String: [String]] = [
        "Christopher": ["Chris"], "Michael": ["Mike", "Mick"], "Joanne": ["Jo"], "Elizabeth": ["Liz", "Beth"],
        "Katherine": ["Kate", "Kath"], "Catherine": ["Cathy", "Kate"], "Robert": ["Rob", "Bob"],
        "William": ["Will", "Bill"], "Thomas": ["Tom"], "Daniel": ["Dan"], "Matthew": ["Matt"],
        "Andrew": ["Andy"], "Jennifer": ["Jen", "Jenny"], "Samantha": ["Sam"], "Victoria": ["Vicky"],
        "Rebecca": ["Becky"], "Nicholas": ["Nick"], "Alexander": ["Alex"], "Alexandra": ["Alex"],
        "Anthony": ["Tony"], "Benjamin": ["Ben"], "Jonathan": ["Jon"], "Stephen": ["Steve"], "Steven": ["Steve"],
        "Edward": ["Ed", "Ted"], "Margaret": ["Maggie"], "Deborah": ["Debbie"], "Patricia": ["Pat"],
        "Susan": ["Sue"], "Timothy": ["Tim"], "Philip": ["Phil"], "Samuel": ["Sam"], "Joseph": ["Joe"],
    ]
}
