"""Given and family names, UK-diverse: British, Irish, South Asian, Polish, Romanian, Caribbean, African."""

from __future__ import annotations

__all__ = ["FAMILY_NAMES", "GIVEN_FEMALE", "GIVEN_MALE", "LOOK_ALIKE_PAIRS", "NICKNAMES", "PLACE_PREFIXES",
           "PLACE_SUFFIXES"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN_FEMALE: tuple[str, ...] = _words("""
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Willow Freya Florence Emily Ella Poppy
Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sophie Alice Harper Matilda Ruby Emilia Maya Millie
Isabelle Eva Luna Jessica Chloe Hannah Holly Megan Lauren Amy Bethany Leah Abigail Eleanor Georgia Katie
Zara Rebecca Victoria Susan Amanda Deborah Patricia Louise Maureen Natalie Natasha Jemma Eve Rose
Elizabeth Katherine Margaret Jennifer Sara Karen Lisa Michelle Claire Nicola Joanne Kelly Emma Kirsty
Stacey Leanne Danielle Hayley Samantha Charlene Donna Tracey Dawn Julie Angela Helen Sharon Janet Carol
Pauline Linda Brenda Jean Sandra Christine Wendy Shirley Valerie Marie Amber Jasmine Courtney Paige Jade
Shannon Chelsea Demi Kayleigh Eilidh Skye Zoë Aisha Fatima Maryam Amira Ayesha Zainab Khadija Hafsa Sana
Mariam Hira Rukhsana Shabana Parveen Nasreen Bushra Priya Anjali Simran Harpreet Navdeep Gurpreet Kiran
Sunita Deepa Meena Asha Nadia Samira Yasmin Aaliyah Shanice Tiana Keisha Latoya Chantelle Jada Imani
Siobhán Aoife Niamh Ciara Saoirse Roisin Orla Bridget Maeve Zofia Zuzanna Julia Maja Oliwia Natalia
Agnieszka Katarzyna Magdalena Joanna Anna Alicja Ioana Elena Andreea Nkechi Chidinma Adaeze Ngozi Abena
Ama Efua Precious Blessing Esther Ruth Naomi Miriam Renée Lucy Laura Rachel Stephanie Gemma
""")

GIVEN_MALE: tuple[str, ...] = _words("""
Oliver George Noah Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Thomas Jacob
Alfie Finley Lucas Isaac Edward Joshua James William Samuel Daniel Joseph Alexander Benjamin Max Ethan
Logan Mason Riley Dylan Harrison Jayden Tyler Kai Reggie Ronnie Tommy Teddy Albie Louie Frankie Robert
Michael David Stephen Christopher John Anthony Andrew Matthew Peter Richard Nicholas Charles Frederick
Alfred Paul Mark Gary Lee Darren Craig Wayne Dean Jason Shaun Kevin Martin Simon Neil Ian Keith Graham
Colin Barry Trevor Derek Brian Kenneth Raymond Terence Dennis Roy Malcolm Gordon Ahmed Ali Omar Hassan
Hussain Bilal Zain Ibrahim Yusuf Imran Tariq Asif Kamran Rizwan Arjun Rohan Ravi Sanjay Vikram Amit Harjit
Gurdeep Jaspal Sukhdev Mandeep Ravinder Jakub Kacper Szymon Filip Mateusz Piotr Tomasz Krzysztof Pawel
Marek Andrzej Lukasz Dawid Bartosz Michal Andrei Mihai Florin Cian Seán Conor Patrick Declan Ciaran Eoin
Niall Padraig Darragh Oisin Callum Ewan Fraser Hamish Rhys Dafydd Gethin Owain Tyrone Marcus Andre
Jermaine Leon Dwayne Kwame Kofi Chinedu Emeka Obinna Tunde Femi Segun Kayode Delroy Winston Desmond Errol
Clive Lloyd Jordan Connor Kyle Luke Aaron Bradley Adam Ryan Scott Jamal Malachi Ezra Hugo Elijah
""")

FAMILY_NAMES: tuple[str, ...] = _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill
Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker
Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller
Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb
Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson
Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole
Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong
Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods
Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson
Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd
Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis
Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter
Osborne Johnston Gordon Doyle Wallace Jordan Hutchinson Rahman Islam Uddin Miah Chowdhury Hossain Akhtar
Iqbal Malik Mahmood Qureshi Siddiqui Mistry Parmar Chauhan Sharma Gupta Kumar Sandhu Sidhu Dhillon Bains
Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski
Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Popescu Ionescu Popa Stan Dumitru O'Sullivan McLaughlin
Gallagher Doherty Quinn Brennan Fitzgerald Kavanagh Nolan Brady Boyle Flanagan Okafor Adeyemi Okonkwo
Mensah Owusu Boateng Asante Adebayo Nwosu Afolabi Samuels Beckford Gayle McKenzie Forbes Henry Joseph
Charles Baptiste Pierre Augustine Blackwell Ashworth Whitfield Thornton Hargreaves Pemberton Radcliffe
Greenwood Sutcliffe Ackroyd Crabtree Shackleton Whiteley Pritchard Kirkpatrick
""")

PLACE_PREFIXES: tuple[str, ...] = _words("""
Ash Birch Bram Brook Cald Chal Clay Cold Cran Deer Elm Fen Fox Glen Hal Hart Hazel High Holly Kings Lark
Lin Long Mar Mill Moor North Oak Pen Quarry Red Rush Sand Shep South Stan Stone Thorn Up Wes Whit Wil
""")

PLACE_SUFFIXES: tuple[str, ...] = _words("""
bury field ford ham hurst ley mere stead ton wick worth well combe dale den don gate holme wood thorpe by
""")

LOOK_ALIKE_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("F", "Ava", "Eva"), ("F", "Ella", "Ellie"), ("F", "Mia", "Maya"), ("F", "Amelia", "Emilia"),
    ("F", "Lily", "Lila"), ("F", "Isla", "Ivy"), ("M", "Jack", "Jake"), ("M", "Harry", "Harvey"),
    ("M", "Louie", "Louis"), ("M", "Alfie", "Albie"), ("M", "Leo", "Leon"), ("M", "Finley", "Finlay"),
)
"""(sex, name, name): distinct registered given names that look alike, for twins (the generator's own)."""

NICKNAMES: dict[str, str] = {
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
    "bill": "william", "billy": "william", "will": "william", "liam": "william", "willy": "william",
    "jim": "james", "jimmy": "james", "jamie": "james", "jimmie": "james",
    "mike": "michael", "mick": "michael", "micky": "michael", "mikey": "michael",
    "dave": "david", "davey": "david", "davy": "david",
    "steve": "stephen", "stevie": "stephen", "steven": "stephen",
    "tom": "thomas", "tommy": "thomas",
    "chris": "christopher", "kit": "christopher",
    "dan": "daniel", "danny": "daniel",
    "joe": "joseph", "joey": "joseph",
    "jack": "john", "johnny": "john", "jon": "john",
    "tony": "anthony", "ant": "anthony",
    "andy": "andrew", "drew": "andrew",
    "matt": "matthew", "matty": "matthew",
    "alex": "alexander", "sandy": "alexander", "xander": "alexander",
    "sam": "samuel", "sammy": "samuel",
    "ben": "benjamin", "benny": "benjamin",
    "josh": "joshua",
    "harry": "henry", "hal": "henry", "hank": "henry",
    "charlie": "charles", "chas": "charles", "chuck": "charles",
    "ed": "edward", "eddie": "edward", "ted": "edward", "ned": "edward",
    "fred": "frederick", "freddie": "frederick", "freddy": "frederick",
    "nick": "nicholas", "nicky": "nicholas",
    "pete": "peter",
    "rick": "richard", "ricky": "richard", "dick": "richard", "rich": "richard",
    "ollie": "oliver", "olly": "oliver",
    "alfie": "alfred", "alf": "alfred",
    "archie": "archibald",
    "theo": "theodore",
    "lizzie": "elizabeth", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth",
    "kate": "katherine", "katie": "katherine", "kath": "katherine", "kathy": "katherine", "kat": "katherine",
    "catherine": "katherine",
    "maggie": "margaret", "meg": "margaret", "peggy": "margaret",
    "jenny": "jennifer", "jen": "jennifer",
    "becky": "rebecca", "becca": "rebecca",
    "vicky": "victoria", "tori": "victoria",
    "sue": "susan", "suzy": "susan",
    "mandy": "amanda",
    "abby": "abigail", "abbie": "abigail",
    "ellie": "eleanor", "nell": "eleanor", "nora": "eleanor",
    "millie": "amelia", "milly": "amelia",
    "izzy": "isabella", "bella": "isabella",
    "sophie": "sophia",
    "debbie": "deborah", "deb": "deborah",
    "pat": "patricia", "trish": "patricia",
    "jess": "jessica", "jessie": "jessica",
    "lou": "louise", "lulu": "louise",
    "mo": "maureen",
    "sarah": "sara",
    "nat": "natalie",
    "tash": "natasha", "tasha": "natasha",
    "gemma": "jemma",
    "chloe": "chloe",
    "evie": "eve",
    "rosie": "rose",
}
"""Short form -> full given name (lower case): how the generator writes a second agency's record of a person.
The generator's own table; the product uses graphmodel/nicknames.py (the `nicknames` package, a UK list)."""
