#include "demo/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "demo/rng.hpp"

namespace cartable {
namespace {

// ---------------------------------------------------------------------------------------------
// Randomness

using demo::Rng;

// What a random stream is used for. Each school and purpose gets its own stream, so that more
// pupils per class do not reshuffle, say, the timetables.
enum class Purpose : std::uint64_t { names = 1, passwords, timetable, homework, grades };

Rng stream(std::uint64_t seed, int school, Purpose purpose) {
  Rng mixer(seed);
  const std::uint64_t a = mixer.next() ^ static_cast<std::uint64_t>(purpose);
  const std::uint64_t b = Rng(a).next() ^ static_cast<std::uint64_t>(school);
  return Rng(Rng(b).next());
}

// Fisher-Yates with our Rng: std::shuffle's algorithm is implementation-defined.
template <typename T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[static_cast<std::size_t>(rng.below(i))]);
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

struct NamedPlace {
  std::string_view name;
  std::string_view slug;  // lower-case ASCII, used in codes and logins
};

// Whom French collèges are most often named after. Slugs are short enough that
// "college-<slug>-<town>" stays within the 32 bytes of a code.
constexpr auto kSchoolNames = std::to_array<NamedPlace>({
    {"Jean Jaurès", "jaures"},
    {"Victor Hugo", "hugo"},
    {"Jules Ferry", "ferry"},
    {"Louise Michel", "michel"},
    {"Simone Veil", "veil"},
    {"Jean Moulin", "moulin"},
    {"Marie Curie", "curie"},
    {"Albert Camus", "camus"},
    {"George Sand", "sand"},
    {"Paul Éluard", "eluard"},
    {"Jacques Prévert", "prevert"},
    {"Anne Frank", "frank"},
    {"Pierre Mendès France", "mendes-france"},
    {"Lucie Aubrac", "aubrac"},
    {"Jean de La Fontaine", "la-fontaine"},
    {"Molière", "moliere"},
    {"Condorcet", "condorcet"},
    {"Voltaire", "voltaire"},
    {"Camille Claudel", "claudel"},
    {"Germaine Tillion", "tillion"},
    {"Olympe de Gouges", "de-gouges"},
    {"Antoine de Saint-Exupéry", "st-exupery"},
    {"Aimé Césaire", "cesaire"},
    {"Joséphine Baker", "baker"},
    {"Colette", "colette"},
    {"Gisèle Halimi", "halimi"},
});

// Towns of zone C that tell apart the second, third... school with the same name.
constexpr auto kTowns = std::to_array<NamedPlace>({
    {"Créteil", "creteil"},
    {"Toulouse", "toulouse"},
    {"Versailles", "versailles"},
    {"Nîmes", "nimes"},
});
static_assert(kSchoolNames.size() * (kTowns.size() + 1) >= demo_limits::max_schools);

// First names of children born around 2012-2015 and of their parents' and teachers' generation.
constexpr auto kPupilFirstNames = std::to_array<std::string_view>({
    "Léa",     "Emma",     "Chloé",   "Inès",   "Jade",      "Louise",   "Manon",    "Camille",
    "Zoé",     "Lina",     "Sarah",   "Lola",   "Alice",     "Juliette", "Léna",     "Clara",
    "Mila",    "Anna",     "Rose",    "Ambre",  "Maëlys",    "Éva",      "Romane",   "Nina",
    "Lou",     "Agathe",   "Margaux", "Océane", "Anaïs",     "Yasmine",  "Maëlle",   "Salomé",
    "Héloïse", "Capucine", "Noémie",  "Aya",    "Fatoumata", "Élise",    "Mathilde", "Justine",
    "Lucas",   "Hugo",     "Gabriel", "Louis",  "Nathan",    "Jules",    "Arthur",   "Raphaël",
    "Adam",    "Léo",      "Théo",    "Tom",    "Ethan",     "Noah",     "Maël",     "Sacha",
    "Enzo",    "Timéo",    "Mathis",  "Nolan",  "Axel",      "Baptiste", "Clément",  "Antoine",
    "Maxime",  "Paul",     "Victor",  "Noé",    "Mohamed",   "Yanis",    "Rayan",    "Ibrahim",
    "Samuel",  "Évan",     "Kylian",  "Aaron",  "Liam",      "Gaspard",  "Côme",     "Amir",
});

constexpr auto kAdultFirstNames = std::to_array<std::string_view>({
    "Nathalie", "Isabelle",  "Sylvie",     "Catherine", "Valérie",   "Sandrine", "Stéphanie",
    "Céline",   "Aurélie",   "Émilie",     "Sophie",    "Caroline",  "Virginie", "Karine",
    "Hélène",   "Véronique", "Laurence",   "Delphine",  "Christine", "Julie",    "Amandine",
    "Élodie",   "Anne",      "Myriam",     "Fatima",    "Nadia",     "Béatrice", "Marie-Hélène",
    "Philippe", "Stéphane",  "Christophe", "Frédéric",  "Nicolas",   "Laurent",  "Sébastien",
    "Olivier",  "Thierry",   "Éric",       "David",     "Jérôme",    "Pascal",   "Julien",
    "Vincent",  "Patrick",   "François",   "Guillaume", "Cédric",    "Franck",   "Grégory",
    "Mathieu",  "Karim",     "Hervé",      "Benoît",    "Yannick",   "Rachid",   "Jean-Marc",
});

constexpr auto kLastNames = std::to_array<std::string_view>({
    "Martin",   "Bernard",  "Thomas",     "Petit",     "Robert",   "Richard", "Durand",
    "Dubois",   "Moreau",   "Laurent",    "Simon",     "Michel",   "Lefèvre", "Leroy",
    "Roux",     "David",    "Bertrand",   "Morel",     "Fournier", "Girard",  "Bonnet",
    "Dupont",   "Lambert",  "Fontaine",   "Rousseau",  "Vincent",  "Muller",  "Faure",
    "André",    "Mercier",  "Blanc",      "Guérin",    "Boyer",    "Garnier", "Chevalier",
    "François", "Legrand",  "Gauthier",   "Garcia",    "Perrin",   "Robin",   "Clément",
    "Morin",    "Nicolas",  "Henry",      "Roussel",   "Mathieu",  "Masson",  "Marchand",
    "Duval",    "Denis",    "Dumont",     "Lemaire",   "Noël",     "Meyer",   "Dufour",
    "Meunier",  "Brun",     "Blanchard",  "Giraud",    "Joly",     "Rivière", "Lucas",
    "Brunet",   "Gaillard", "Barbier",    "Arnaud",    "Martinez", "Gérard",  "Roche",
    "Renard",   "Schmitt",  "Roy",        "Leroux",    "Colin",    "Vidal",   "Caron",
    "Picard",   "Roger",    "Fabre",      "Aubert",    "Lemoine",  "Renaud",  "Dumas",
    "Lacroix",  "Olivier",  "Philippe",   "Bourgeois", "Pierre",   "Benoît",  "Rey",
    "Leclerc",  "Payet",    "Rolland",    "Guillaume", "Lecomte",  "Lopez",   "Dupuy",
    "Hubert",   "Berger",   "Carpentier", "Sanchez",   "Dupuis",   "Moulin",  "Deschamps",
    "Huet",     "Perez",    "Fleury",     "Klein",     "Adam",     "Poirier", "Marty",
    "Carré",    "Ménard",   "Baron",      "Le Gall",   "Léger",    "Prévost", "Le Goff",
    "Da Silva", "Nguyen",   "Diallo",     "Traoré",    "Benali",   "Haddad",  "Ferreira",
    "Cissé",    "Yilmaz",   "Rossi",      "N'Diaye",   "Hoarau",   "Lévêque", "Bénard",
});

// Memorable passwords: two of these and two digits, "soleil-tigre-42". 64 words of 4 to 8
// letters, so every password has 12 to 20 characters.
constexpr auto kPasswordWords = std::to_array<std::string_view>({
    "soleil", "tigre",  "nuage",   "cerise", "jardin",  "orange",   "pirate",  "fusee",
    "dragon", "cheval", "lapin",   "renard", "hibou",   "baleine",  "dauphin", "girafe",
    "zebre",  "panda",  "koala",   "castor", "abeille", "papillon", "tortue",  "pomme",
    "banane", "citron", "fraise",  "mangue", "prune",   "olive",    "carotte", "tomate",
    "radis",  "poivre", "biscuit", "gateau", "bonbon",  "crayon",   "cahier",  "stylo",
    "livre",  "bateau", "avion",   "velo",   "train",   "fleur",    "arbre",   "foret",
    "plage",  "sable",  "vague",   "etoile", "lune",    "comete",   "planete", "neige",
    "orage",  "volcan", "ilot",    "desert", "musique", "guitare",  "piano",   "tambour",
});
static_assert(kPasswordWords.size() == 64);

// Levels from the youngest: a class "6e B" has the code "6B".
constexpr auto kLevels = std::to_array<std::string_view>({"6", "5", "4", "3"});
constexpr int kLevelCount = static_cast<int>(kLevels.size());

enum class RoomKind { classroom, lab, techno, arts, music, sport };
constexpr std::size_t kRoomKinds = 6;

struct SubjectInfo {
  std::string_view code;
  std::string_view name;
  // Weekly hours per level (6e, 5e, 4e, 3e) in half hours: an odd number means one lesson every
  // other week. From the national timetable of the collège (2016 reform).
  std::array<int, 4> half_hours;
  RoomKind room;
};

enum SubjectId : int { fra, math, hg, ang, esp, all, svt, pc, tech, arts, mus, eps };

constexpr auto kSubjects = std::to_array<SubjectInfo>({
    {"FRA", "Français", {9, 9, 9, 8}, RoomKind::classroom},
    {"MATH", "Mathématiques", {9, 7, 7, 7}, RoomKind::classroom},
    {"HG", "Histoire-Géographie", {6, 6, 6, 7}, RoomKind::classroom},
    {"ANG", "Anglais", {8, 6, 6, 6}, RoomKind::classroom},
    {"ESP", "Espagnol", {0, 5, 5, 5}, RoomKind::classroom},  // second language: ESP or ALL
    {"ALL", "Allemand", {0, 5, 5, 5}, RoomKind::classroom},
    {"SVT", "SVT", {3, 3, 3, 3}, RoomKind::lab},
    {"PC", "Physique-Chimie", {2, 3, 3, 3}, RoomKind::lab},
    {"TECH", "Technologie", {3, 3, 3, 3}, RoomKind::techno},
    {"ARTS", "Arts plastiques", {2, 2, 2, 2}, RoomKind::arts},
    {"MUS", "Éducation musicale", {2, 2, 2, 2}, RoomKind::music},
    {"EPS", "EPS", {8, 6, 6, 6}, RoomKind::sport},
});
constexpr int kSubjectCount = static_cast<int>(kSubjects.size());
static_assert(kSubjects[eps].code == "EPS");

// A teacher's load: real collège teachers serve 18 hours; the class cap keeps the demo's
// teachers recognisable to their pupils.
constexpr int kMaxClassesPerTeacher = 6;
constexpr int kMaxTeacherHalfHours = 36;

// The school day: lesson starts in minutes after midnight, two breaks and lunch included.
constexpr auto kPeriodStarts = std::to_array<int>({480, 540, 605, 665, 810, 870, 935, 990});
constexpr int kLessonMinutes = 55;
constexpr int kPeriods = static_cast<int>(kPeriodStarts.size());
constexpr int kMorningPeriods = 4;
constexpr int kWeekdays = 5;   // Monday to Friday
constexpr int kWednesday = 2;  // day index from Monday = 0; afternoon free
constexpr int kPositions = kWeekdays * kPeriods;
static_assert(kPeriodStarts.back() + kLessonMinutes < 17 * 60 + 30);

constexpr int periods_on(int day) {
  return day == kWednesday ? kMorningPeriods : kPeriods;
}

struct HolidaySpec {
  std::string_view first_day;
  std::string_view last_day;
  std::string_view label;
};

// Zone C (Créteil, Montpellier, Paris, Toulouse, Versailles) from the official calendars, a
// holiday running from the Saturday school stops to the Sunday before it resumes. Public holidays
// that fall within a holiday are not repeated (1 May 2026 falls within the spring holiday).
constexpr auto kHolidays = std::to_array<HolidaySpec>({
    {"2025-07-05", "2025-08-31", "Vacances d'été"},
    {"2025-10-18", "2025-11-02", "Vacances de la Toussaint"},
    {"2025-11-11", "2025-11-11", "Armistice 1918"},
    {"2025-12-20", "2026-01-04", "Vacances de Noël"},
    {"2026-02-21", "2026-03-08", "Vacances d'hiver"},
    {"2026-04-06", "2026-04-06", "Lundi de Pâques"},
    {"2026-04-18", "2026-05-03", "Vacances de printemps"},
    {"2026-05-08", "2026-05-08", "Victoire 1945"},
    {"2026-05-14", "2026-05-14", "Ascension"},
    {"2026-05-15", "2026-05-15", "Pont de l'Ascension"},
    {"2026-05-25", "2026-05-25", "Lundi de Pentecôte"},
    {"2026-07-04", "2026-08-31", "Vacances d'été"},
    {"2026-10-17", "2026-11-01", "Vacances de la Toussaint"},
    {"2026-11-11", "2026-11-11", "Armistice 1918"},
    {"2026-12-19", "2027-01-03", "Vacances de Noël"},
    {"2027-02-13", "2027-02-28", "Vacances d'hiver"},
    {"2027-03-29", "2027-03-29", "Lundi de Pâques"},
    {"2027-04-10", "2027-04-25", "Vacances de printemps"},
    {"2027-05-01", "2027-05-01", "Fête du Travail"},
    {"2027-05-06", "2027-05-06", "Ascension"},
    {"2027-05-07", "2027-05-07", "Pont de l'Ascension"},
    {"2027-05-08", "2027-05-08", "Victoire 1945"},
    {"2027-05-17", "2027-05-17", "Lundi de Pentecôte"},
    {"2027-07-03", "2027-08-31", "Vacances d'été"},
});

// Homework text. Placeholders: {t} a topic of the subject, {p} a page, {a}..{b} exercise numbers,
// {n} a small number and {m} = {n} + 1.
struct HomeworkTemplate {
  std::string_view title;
  std::string_view body;
};

struct SubjectHomework {
  std::span<const std::string_view> topics;
  std::span<const HomeworkTemplate> templates;
};

constexpr auto kFraTopics = std::to_array<std::string_view>(
    {"le passé simple", "l'accord du participe passé", "les propositions subordonnées relatives",
     "le discours rapporté", "les figures de style", "les homophones grammaticaux"});
constexpr auto kFraTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} à {b} page {p}",
     "Grammaire : {t}. Recopiez les phrases et soulignez les mots concernés."},
    {"Apprendre la leçon sur {t}",
     "Savoir la définition et donner deux exemples : interrogation en début d'heure."},
    {"Rédaction : raconter un souvenir d'enfance",
     "Une page environ, à la première personne, au passé simple et à l'imparfait. Relisez-vous "
     "pour l'orthographe."},
    {"Lecture : chapitres {n} et {m} du roman",
     "Lire les chapitres et noter dans le carnet de lecture les personnages rencontrés."},
    {"Récitation : apprendre le poème",
     "Les deux premières strophes, pour la récitation en classe. Savoir le nom du poète."},
});

constexpr auto kMathTopics = std::to_array<std::string_view>(
    {"les fractions", "le théorème de Pythagore", "les nombres relatifs", "le calcul littéral",
     "la proportionnalité", "les équations", "les aires et les périmètres", "les statistiques"});
constexpr auto kMathTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} à {b} page {p}",
     "Chapitre : {t}. Rédigez les calculs, pas seulement les résultats."},
    {"Apprendre la leçon sur {t}",
     "Savoir refaire les exemples du cours ; petite interrogation au début du prochain cours."},
    {"Devoir maison n°{n}", "Sur copie double, à rendre au début du cours. Thème : {t}."},
    {"Exercice {a} page {p} et calcul mental",
     "Faire aussi la fiche de calcul mental distribuée en classe, sans calculatrice."},
});

constexpr auto kHgTopics = std::to_array<std::string_view>(
    {"la Révolution française", "l'Empire romain", "les débuts de l'Islam",
     "la Première Guerre mondiale", "l'urbanisation du monde", "les espaces productifs",
     "la Méditerranée antique", "l'âge industriel"});
constexpr auto kHgTemplates = std::to_array<HomeworkTemplate>({
    {"Apprendre la leçon sur {t}",
     "Savoir les dates clés et les définitions en gras ; interrogation écrite."},
    {"Carte à compléter",
     "Compléter la carte distribuée en classe (légende et titre) à l'aide du manuel page {p}."},
    {"Questions page {p}",
     "Lire le document et répondre aux questions {a} à {b} en faisant des phrases. Thème : {t}."},
});

constexpr auto kAngTopics = std::to_array<std::string_view>(
    {"the present perfect", "the preterite", "comparatives and superlatives",
     "daily routine vocabulary", "will and going to"});
constexpr auto kAngTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} et {b} page {p}", "Workbook : {t}."},
    {"Apprendre le vocabulaire de la leçon",
     "Mots et expressions de la page {p}, à savoir écrire et prononcer ; quiz en début de cours."},
    {"Apprendre les verbes irréguliers",
     "Les trois colonnes, de « be » à « know » ; interrogation orale."},
    {"Expression écrite : présentez votre famille",
     "Huit à dix phrases en anglais, au présent simple."},
});

constexpr auto kEspTopics = std::to_array<std::string_view>(
    {"le présent de l'indicatif", "ser et estar", "le passé composé", "la description physique"});
constexpr auto kEspTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} à {b} page {p}", "Cuaderno : {t}."},
    {"Apprendre le vocabulaire de la leçon",
     "Vocabulaire de la page {p}, à savoir écrire ; interrogation orale."},
    {"Expression écrite : décrire sa ville", "Cinq à huit phrases en espagnol, au présent."},
});

constexpr auto kAllTopics = std::to_array<std::string_view>(
    {"les articles et les cas", "le présent", "le parfait", "la place du verbe"});
constexpr auto kAllTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} à {b} page {p}", "Arbeitsheft : {t}."},
    {"Apprendre le vocabulaire de la leçon",
     "Vocabulaire de la page {p}, avec l'article de chaque nom ; interrogation orale."},
    {"Se présenter en allemand",
     "Préparer une présentation orale de six phrases : nom, âge, famille, loisirs."},
});

constexpr auto kSvtTopics = std::to_array<std::string_view>(
    {"la digestion", "la respiration", "les volcans et les séismes", "la reproduction des plantes",
     "le système nerveux", "la biodiversité"});
constexpr auto kSvtTemplates = std::to_array<HomeworkTemplate>({
    {"Apprendre la leçon sur {t}", "Savoir refaire le schéma bilan du cours."},
    {"Exercices {a} et {b} page {p}",
     "Thème : {t}. Justifiez vos réponses à partir des documents."},
    {"Compte rendu de TP",
     "Terminer le compte rendu de l'expérience, avec un schéma légendé et une conclusion."},
});

constexpr auto kPcTopics = std::to_array<std::string_view>(
    {"les états de la matière", "les circuits électriques", "la masse volumique", "les mélanges",
     "la vitesse", "l'énergie"});
constexpr auto kPcTemplates = std::to_array<HomeworkTemplate>({
    {"Exercices {a} à {b} page {p}", "Thème : {t}. Pensez aux unités."},
    {"Apprendre la leçon sur {t}", "Savoir les définitions et les formules encadrées."},
    {"Compte rendu de TP",
     "Terminer le compte rendu : hypothèse, protocole, résultats et conclusion."},
});

constexpr auto kTechTopics =
    std::to_array<std::string_view>({"les objets techniques", "les énergies renouvelables",
                                     "les matériaux", "les réseaux informatiques"});
constexpr auto kTechTemplates = std::to_array<HomeworkTemplate>({
    {"Fiche de synthèse", "Compléter la fiche de synthèse sur {t}."},
    {"Apprendre la leçon sur {t}",
     "Savoir le vocabulaire de la fiche ; questionnaire au début du prochain cours."},
    {"Terminer le programme Scratch",
     "Finir l'activité {n} commencée en classe et enregistrer le projet dans l'ENT."},
});

constexpr auto kArtsTopics = std::to_array<std::string_view>(
    {"le portrait", "la nature morte", "la perspective", "le collage", "l'affiche"});
constexpr auto kArtsTemplates = std::to_array<HomeworkTemplate>({
    {"Terminer la production", "Terminer la production plastique sur {t} commencée en classe."},
    {"Apporter le matériel", "Crayons de couleur, colle, ciseaux et le cahier d'arts plastiques."},
    {"Recherche d'œuvres",
     "Trouver trois œuvres sur le thème « {t} » et noter l'artiste, le titre et la date."},
});

constexpr auto kMusTopics = std::to_array<std::string_view>(
    {"l'orchestre symphonique", "la chanson engagée", "le jazz", "la musique de film"});
constexpr auto kMusTemplates = std::to_array<HomeworkTemplate>({
    {"Apprendre les paroles du chant",
     "Les deux premiers couplets et le refrain, pour le chant en classe."},
    {"Apprendre la leçon sur {t}",
     "Savoir le vocabulaire et reconnaître les instruments entendus en classe."},
    {"Écoute à la maison",
     "Réécouter l'extrait du cours (lien dans l'ENT) et répondre aux questions de la fiche."},
});

constexpr auto kEpsTopics = std::to_array<std::string_view>(
    {"natation", "course d'orientation", "basket-ball", "gymnastique", "badminton"});
constexpr auto kEpsTemplates = std::to_array<HomeworkTemplate>({
    {"Apporter sa tenue de sport", "Tenue complète et chaussures de sport. Cycle : {t}."},
    {"Cycle {t} : préparer l'échauffement",
     "Chaque groupe prépare cinq minutes d'échauffement pour le prochain cours."},
    {"Mot des parents en cas de dispense",
     "Un élève dispensé présente un mot signé des parents ou un certificat médical."},
});

// Indexed like kSubjects.
constexpr auto kHomework = std::to_array<SubjectHomework>({
    {kFraTopics, kFraTemplates},
    {kMathTopics, kMathTemplates},
    {kHgTopics, kHgTemplates},
    {kAngTopics, kAngTemplates},
    {kEspTopics, kEspTemplates},
    {kAllTopics, kAllTemplates},
    {kSvtTopics, kSvtTemplates},
    {kPcTopics, kPcTemplates},
    {kTechTopics, kTechTemplates},
    {kArtsTopics, kArtsTemplates},
    {kMusTopics, kMusTemplates},
    {kEpsTopics, kEpsTemplates},
});
static_assert(kHomework.size() == kSubjects.size());

constexpr int kMinHomeworkPerClass = 6;
constexpr int kMaxHomeworkPerClass = 10;
constexpr int kHomeworkHorizonDays = 14;
// A class learns Allemand instead of Espagnol when its letter index % 3 is this.
constexpr int kGermanEvery = 3;
// Percent of pupils (from the 5e on) who are the brother or sister of an older pupil.
constexpr int kSiblingPercent = 10;
constexpr int kMaxScheduleAttempts = 200;

// ---------------------------------------------------------------------------------------------
// Logins and passwords

// The ASCII letters of Latin-1 Supplement letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF), lower
// case; empty for the signs among them.
constexpr auto kLatin1Folding = std::to_array<std::string_view>({
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // C3 80
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // C3 A0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y",
});

// "Léa", "N'Diaye", "Le Gall" -> "lea", "ndiaye", "legall": logins are lower-case ASCII, so
// accents are dropped, hyphens kept, spaces, apostrophes and other characters removed.
std::string login_part(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-') {
      out += static_cast<char>(byte);
    } else if (byte >= 'A' && byte <= 'Z') {
      out += static_cast<char>(byte - 'A' + 'a');
    } else if (byte == 0xC3 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[++i]);
      if (next >= 0x80 && next <= 0xBF) {
        out += kLatin1Folding[next - 0x80];
      }
    } else if (byte == 0xC5 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[++i]);
      if (next == 0x92 || next == 0x93) {  // Œ, œ
        out += "oe";
      }
    }
  }
  return out;
}

// Hands out logins unique across the region: "lea.martin", then "lea.martin2", "lea.martin3"...
// The sets only answer membership, so iteration order never leaks into the Roster.
class LoginRegistry {
 public:
  explicit LoginRegistry(std::size_t expected) { used_.reserve(expected); }

  std::string claim(const std::string& base) {
    if (used_.insert(base).second) {
      return base;
    }
    int& suffix = next_suffix_[base];
    for (suffix = std::max(suffix, 2);; ++suffix) {
      std::string candidate = base + std::to_string(suffix);
      if (used_.insert(candidate).second) {
        ++suffix;
        return candidate;
      }
    }
  }

 private:
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, int> next_suffix_;
};

std::string make_password(Rng& rng) {
  const std::string_view first = rng.pick(kPasswordWords);
  std::string_view second = rng.pick(kPasswordWords);
  while (second == first) {  // "lune-lune-12" reads like a typo
    second = rng.pick(kPasswordWords);
  }
  std::string password(first);
  password += '-';
  password += second;
  password += '-';
  password += std::to_string(rng.between(10, 99));
  return password;
}

// ---------------------------------------------------------------------------------------------
// A school's plan: classes and who teaches what

struct ClassPlan {
  std::string code;
  std::string name;
  int level = 0;             // index in kLevels
  int second_language = -1;  // esp, all, or -1 (6e)
};

struct TeacherPlan {
  int subject = 0;
  std::string login;
  std::string room;
  int half_hours = 0;
  int classes = 0;
};

struct SchoolPlan {
  std::string code;
  std::string slug;  // "jaures", in staff logins
  std::vector<ClassPlan> classes;
  std::vector<TeacherPlan> teachers;
  std::vector<std::array<int, kSubjectCount>> teacher_of;  // [class][subject], -1: not taught
};

School make_school(int index, SchoolPlan& plan) {
  const auto names_count = static_cast<int>(kSchoolNames.size());
  const NamedPlace& person = kSchoolNames[static_cast<std::size_t>(index % names_count)];
  const int round = index / names_count;
  School school;
  school.name = "Collège " + std::string(person.name);
  plan.slug = person.slug;
  if (round > 0) {
    const NamedPlace& town = kTowns[static_cast<std::size_t>(round - 1)];
    school.name += " (" + std::string(town.name) + ")";
    plan.slug += "-" + std::string(town.slug);
  }
  school.code = "college-" + plan.slug;
  plan.code = school.code;
  return school;
}

int half_hours_of(const ClassPlan& school_class, int subject) {
  if ((subject == esp || subject == all) && subject != school_class.second_language) {
    return 0;
  }
  return kSubjects[static_cast<std::size_t>(subject)]
      .half_hours[static_cast<std::size_t>(school_class.level)];
}

// Levels in equal shares, youngest first: 12 classes are 6A-6C, 5A-5C, 4A-4C, 3A-3C; 2 classes
// are 6A and 4A.
std::vector<ClassPlan> plan_classes(int count) {
  std::vector<ClassPlan> classes;
  std::array<int, kLevelCount> letters{};
  for (int i = 0; i < count; ++i) {
    ClassPlan plan;
    plan.level = i * kLevelCount / count;
    const int letter = letters[static_cast<std::size_t>(plan.level)]++;
    const std::string level(kLevels[static_cast<std::size_t>(plan.level)]);
    const char letter_char = static_cast<char>('A' + letter);
    plan.code = level + letter_char;
    plan.name = level + "e " + letter_char;
    if (plan.level > 0) {
      plan.second_language = letter % kGermanEvery == kGermanEvery - 1 ? all : esp;
    }
    classes.push_back(std::move(plan));
  }
  return classes;
}

// Each teacher takes the next classes of their subject until the class or hour cap is reached.
void assign_teachers(SchoolPlan& plan) {
  plan.teacher_of.assign(plan.classes.size(), {});
  for (auto& row : plan.teacher_of) {
    row.fill(-1);
  }
  for (int subject = 0; subject < kSubjectCount; ++subject) {
    int current = -1;
    for (std::size_t c = 0; c < plan.classes.size(); ++c) {
      const int half_hours = half_hours_of(plan.classes[c], subject);
      if (half_hours == 0) {
        continue;
      }
      if (current < 0 ||
          plan.teachers[static_cast<std::size_t>(current)].classes >= kMaxClassesPerTeacher ||
          plan.teachers[static_cast<std::size_t>(current)].half_hours + half_hours >
              kMaxTeacherHalfHours) {
        current = static_cast<int>(plan.teachers.size());
        plan.teachers.push_back(TeacherPlan{subject, {}, {}, 0, 0});
      }
      TeacherPlan& teacher = plan.teachers[static_cast<std::size_t>(current)];
      teacher.half_hours += half_hours;
      ++teacher.classes;
      plan.teacher_of[c][static_cast<std::size_t>(subject)] = current;
    }
  }
}

// Every teacher has a room of their own, so no room is ever booked twice: classrooms "A11".."A18",
// "A21".., "B11".., labs "Labo 1"..., and named rooms for technology, arts, music and sport.
std::string room_name(RoomKind kind, int number) {
  switch (kind) {
    case RoomKind::classroom: {
      std::string room(1, static_cast<char>('A' + number / 16));
      room += std::to_string((number % 16) / 8 + 1);
      room += std::to_string(number % 8 + 1);
      return room;
    }
    case RoomKind::lab:
      return "Labo " + std::to_string(number + 1);
    case RoomKind::techno:
      return "Techno " + std::to_string(number + 1);
    case RoomKind::arts:
      return number == 0 ? "Arts plastiques" : "Arts plastiques " + std::to_string(number + 1);
    case RoomKind::music:
      return number == 0 ? "Salle de musique" : "Salle de musique " + std::to_string(number + 1);
    case RoomKind::sport: {
      static constexpr auto kSportRooms =
          std::to_array<std::string_view>({"Gymnase", "Stade", "Dojo", "Salle polyvalente"});
      if (number < static_cast<int>(kSportRooms.size())) {
        return std::string(kSportRooms[static_cast<std::size_t>(number)]);
      }
      return "Gymnase " + std::to_string(number - static_cast<int>(kSportRooms.size()) + 2);
    }
  }
  return "Salle";
}

void assign_rooms(SchoolPlan& plan) {
  std::array<int, kRoomKinds> used{};  // rooms handed out so far, per kind
  for (TeacherPlan& teacher : plan.teachers) {
    const RoomKind kind = kSubjects[static_cast<std::size_t>(teacher.subject)].room;
    teacher.room = room_name(kind, used[static_cast<std::size_t>(kind)]++);
  }
}

// ---------------------------------------------------------------------------------------------
// People

struct PeopleBuilder {
  Roster& roster;
  LoginRegistry& logins;
  Rng& names;
  Rng& passwords;
  const SchoolPlan& plan;

  Person& add(Role role, std::string_view first, std::string_view last, const std::string& base) {
    Person person;
    person.login = logins.claim(base);
    person.role = role;
    person.school_code = plan.code;
    person.first_name = first;
    person.last_name = last;
    person.password = make_password(passwords);
    roster.people.push_back(std::move(person));
    return roster.people.back();
  }

  Person& add_adult(Role role, const std::string& base) {
    const std::string_view first = names.pick(kAdultFirstNames);
    const std::string_view last = names.pick(kLastNames);
    return add(role, first, last, base.empty() ? login_part(first) + "." + login_part(last) : base);
  }
};

void add_staff(PeopleBuilder& people) {
  const std::string& slug = people.plan.slug;
  people.add_adult(Role::staff, "principal." + slug);
  people.add_adult(Role::staff, "cpe." + slug);
  people.add_adult(Role::admin, "admin." + slug);
}

void add_teachers(PeopleBuilder& people, SchoolPlan& plan) {
  for (TeacherPlan& teacher : plan.teachers) {
    teacher.login = people.add_adult(Role::teacher, "").login;
  }
  for (std::size_t c = 0; c < plan.classes.size(); ++c) {
    for (int subject = 0; subject < kSubjectCount; ++subject) {
      const int teacher = plan.teacher_of[c][static_cast<std::size_t>(subject)];
      if (teacher >= 0) {
        people.roster.teachings.push_back(Teaching{
            plan.teachers[static_cast<std::size_t>(teacher)].login, plan.code, plan.classes[c].code,
            std::string(kSubjects[static_cast<std::size_t>(subject)].code)});
      }
    }
  }
}

struct Family {
  std::string_view last_name;
  std::vector<std::string> children;  // pupil logins
  std::vector<std::string_view> first_names;
};

// A pupil's first name, different from their brothers' and sisters'.
std::string_view sibling_first_name(Rng& rng, const Family& family) {
  std::string_view first = rng.pick(kPupilFirstNames);
  while (std::find(family.first_names.begin(), family.first_names.end(), first) !=
         family.first_names.end()) {
    first = rng.pick(kPupilFirstNames);
  }
  return first;
}

// Pupils class by class; from the 5e on, some are the brother or sister of a pupil of an earlier
// level and share their family (and its parent account).
std::vector<Family> add_pupils(PeopleBuilder& people, int pupils_per_class) {
  std::vector<Family> families;
  std::size_t families_before_level = 0;
  int current_level = 0;
  for (const ClassPlan& school_class : people.plan.classes) {
    if (school_class.level != current_level) {
      current_level = school_class.level;
      families_before_level = families.size();
    }
    for (int i = 0; i < pupils_per_class; ++i) {
      std::size_t family_index = families.size();
      if (families_before_level > 0 && people.names.chance(kSiblingPercent)) {
        const auto candidate = static_cast<std::size_t>(people.names.below(families_before_level));
        if (families[candidate].children.size() < 3) {
          family_index = candidate;
        }
      }
      if (family_index == families.size()) {
        families.push_back(Family{people.names.pick(kLastNames), {}, {}});
      }
      Family& family = families[family_index];
      const std::string_view first = sibling_first_name(people.names, family);
      Person& pupil = people.add(Role::pupil, first, family.last_name,
                                 login_part(first) + "." + login_part(family.last_name));
      pupil.class_code = school_class.code;
      family.children.push_back(pupil.login);
      family.first_names.push_back(first);
    }
  }
  return families;
}

// Exactly round(fraction * families) families get a parent, spread evenly over the school.
void add_parents(PeopleBuilder& people, const std::vector<Family>& families, double fraction) {
  const auto total = static_cast<std::int64_t>(families.size());
  const auto with_parent =
      static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(total)));
  for (std::int64_t i = 0; i < total; ++i) {
    if ((i + 1) * with_parent / total == i * with_parent / total) {
      continue;
    }
    const Family& family = families[static_cast<std::size_t>(i)];
    const std::string_view first = people.names.pick(kAdultFirstNames);
    const std::string login =
        people.add(Role::parent, first, family.last_name, "parent." + login_part(family.last_name))
            .login;
    for (const std::string& child : family.children) {
      people.roster.parent_links.push_back(ParentLink{login, child});
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Timetable

// Which weeks a teacher is busy at a position, as bits.
constexpr std::uint8_t kWeekA = 1;
constexpr std::uint8_t kWeekB = 2;
constexpr std::uint8_t kEveryWeek = kWeekA | kWeekB;

// What a class does in one period of the week: one subject every week, or one subject in week A
// and another (or nothing, when second < 0) in week B.
struct Unit {
  int first = 0;
  int second = -1;
  bool every_week = true;
};

struct ClassTimetable {
  std::vector<Unit> units;
  std::array<int, kPositions> grid{};  // unit index per position (day * kPeriods + period), -1
};

std::vector<Unit> class_units(const ClassPlan& school_class, Rng& rng) {
  std::vector<Unit> units;
  std::vector<int> halves;
  for (int subject = 0; subject < kSubjectCount; ++subject) {
    const int half_hours = half_hours_of(school_class, subject);
    for (int i = 0; i < half_hours / 2; ++i) {
      units.push_back(Unit{subject, -1, true});
    }
    if (half_hours % 2 == 1) {
      halves.push_back(subject);
    }
  }
  // Half hours pair up into alternating lessons, in a different pairing for each class.
  shuffle(halves, rng);
  for (std::size_t i = 0; i < halves.size(); i += 2) {
    units.push_back(Unit{halves[i], i + 1 < halves.size() ? halves[i + 1] : -1, false});
  }
  return units;
}

// Schedules one school's classes one after the other, each unit where its teachers are free,
// the most constrained unit first, at the position that keeps the days balanced and the subjects
// spread over the week. Fails (nullopt) when a unit has no free position left.
class Scheduler {
 public:
  Scheduler(const SchoolPlan& plan, Rng& rng)
      : plan_(plan),
        rng_(rng),
        teacher_busy_(plan.teachers.size(), std::array<std::uint8_t, kPositions>{}) {}

  std::optional<std::vector<ClassTimetable>> run() {
    std::vector<ClassTimetable> timetables;
    timetables.reserve(plan_.classes.size());
    for (std::size_t c = 0; c < plan_.classes.size(); ++c) {
      ClassTimetable timetable;
      timetable.units = class_units(plan_.classes[c], rng_);
      timetable.grid.fill(-1);
      if (!schedule_class(c, timetable) || !every_day_taught(timetable)) {
        return std::nullopt;
      }
      timetables.push_back(std::move(timetable));
    }
    return timetables;
  }

 private:
  struct Need {
    int teacher;
    std::uint8_t weeks;
  };

  std::array<Need, 2> needs(std::size_t c, const Unit& unit) const {
    const auto& row = plan_.teacher_of[c];
    const Need first{row[static_cast<std::size_t>(unit.first)],
                     unit.every_week ? kEveryWeek : kWeekA};
    const Need second{unit.second >= 0 ? row[static_cast<std::size_t>(unit.second)] : -1, kWeekB};
    return {first, second};
  }

  bool fits(const std::array<Need, 2>& unit_needs, const ClassTimetable& timetable, int pos) const {
    if (timetable.grid[static_cast<std::size_t>(pos)] >= 0 ||
        pos % kPeriods >= periods_on(pos / kPeriods)) {
      return false;
    }
    for (const Need& need : unit_needs) {
      if (need.teacher >= 0 &&
          (teacher_busy_[static_cast<std::size_t>(need.teacher)][static_cast<std::size_t>(pos)] &
           need.weeks) != 0) {
        return false;
      }
    }
    return true;
  }

  // Lower is better: avoid a subject twice a day, fill days in proportion to their length,
  // prefer mornings and lessons next to each other; a little noise varies the classes.
  int cost(const ClassTimetable& timetable, const Unit& unit, int pos) {
    static constexpr auto kPeriodCost = std::to_array<int>({0, 0, 0, 0, 2, 3, 6, 12});
    const int day = pos / kPeriods;
    const int period = pos % kPeriods;
    int lessons_today = 0;
    int same_subject = 0;
    for (int p = 0; p < periods_on(day); ++p) {
      const int other = timetable.grid[static_cast<std::size_t>(day * kPeriods + p)];
      if (other < 0) {
        continue;
      }
      ++lessons_today;
      const Unit& placed = timetable.units[static_cast<std::size_t>(other)];
      if (placed.first == unit.first || (unit.second >= 0 && placed.second == unit.second) ||
          placed.first == unit.second || (placed.second >= 0 && placed.second == unit.first)) {
        ++same_subject;
      }
    }
    int total = 60 * same_subject + 80 * lessons_today / periods_on(day) +
                kPeriodCost[static_cast<std::size_t>(period)] + rng_.below(8);
    if (lessons_today > 0 && !occupied(timetable, day, period - 1) &&
        !occupied(timetable, day, period + 1)) {
      total += 6;
    }
    return total;
  }

  static bool occupied(const ClassTimetable& timetable, int day, int period) {
    return period >= 0 && period < periods_on(day) &&
           timetable.grid[static_cast<std::size_t>(day * kPeriods + period)] >= 0;
  }

  bool schedule_class(std::size_t c, ClassTimetable& timetable) {
    std::vector<int> remaining(timetable.units.size());
    for (std::size_t u = 0; u < remaining.size(); ++u) {
      remaining[u] = static_cast<int>(u);
    }
    while (!remaining.empty()) {
      // The unit with the fewest free positions goes first: it is the likeliest to get stuck.
      std::size_t chosen = 0;
      int fewest = kPositions + 1;
      for (std::size_t r = 0; r < remaining.size(); ++r) {
        const auto unit_needs = needs(c, timetable.units[static_cast<std::size_t>(remaining[r])]);
        int free_positions = 0;
        for (int pos = 0; pos < kPositions; ++pos) {
          free_positions += fits(unit_needs, timetable, pos) ? 1 : 0;
        }
        if (free_positions < fewest) {
          fewest = free_positions;
          chosen = r;
        }
      }
      if (fewest == 0) {
        return false;
      }
      const int unit_index = remaining[chosen];
      remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(chosen));
      place(c, timetable, unit_index);
    }
    return true;
  }

  void place(std::size_t c, ClassTimetable& timetable, int unit_index) {
    const Unit& unit = timetable.units[static_cast<std::size_t>(unit_index)];
    const auto unit_needs = needs(c, unit);
    int best_pos = -1;
    int best_cost = 0;
    for (int pos = 0; pos < kPositions; ++pos) {
      if (!fits(unit_needs, timetable, pos)) {
        continue;
      }
      const int pos_cost = cost(timetable, unit, pos);
      if (best_pos < 0 || pos_cost < best_cost) {
        best_pos = pos;
        best_cost = pos_cost;
      }
    }
    timetable.grid[static_cast<std::size_t>(best_pos)] = unit_index;
    for (const Need& need : unit_needs) {
      if (need.teacher >= 0) {
        teacher_busy_[static_cast<std::size_t>(need.teacher)][static_cast<std::size_t>(best_pos)] |=
            need.weeks;
      }
    }
  }

  // A day of only alternate-week lessons would leave the class without school in the other week.
  static bool every_day_taught(const ClassTimetable& timetable) {
    for (int day = 0; day < kWeekdays; ++day) {
      bool taught = false;
      for (int p = 0; p < periods_on(day); ++p) {
        const int unit = timetable.grid[static_cast<std::size_t>(day * kPeriods + p)];
        taught =
            taught || (unit >= 0 && timetable.units[static_cast<std::size_t>(unit)].every_week);
      }
      if (!taught) {
        return false;
      }
    }
    return true;
  }

  const SchoolPlan& plan_;
  Rng& rng_;
  std::vector<std::array<std::uint8_t, kPositions>> teacher_busy_;
};

std::vector<ClassTimetable> schedule_school(const SchoolPlan& plan, Rng& rng) {
  // Greedy placement can paint itself into a corner; another draw of the noise gets out of it.
  for (int attempt = 0; attempt < kMaxScheduleAttempts; ++attempt) {
    if (auto timetables = Scheduler(plan, rng).run()) {
      return std::move(*timetables);
    }
  }
  throw std::logic_error("generate_demo: no timetable found for " + plan.code);
}

void add_slot(Roster& roster, const SchoolPlan& plan, std::size_t c, int subject, int pos,
              WeekParity week) {
  const int teacher = plan.teacher_of[c][static_cast<std::size_t>(subject)];
  const TeacherPlan& teacher_plan = plan.teachers[static_cast<std::size_t>(teacher)];
  const int start = kPeriodStarts[static_cast<std::size_t>(pos % kPeriods)];
  roster.slots.push_back(TimetableSlot{
      plan.code, plan.classes[c].code,
      std::string(kSubjects[static_cast<std::size_t>(subject)].code), teacher_plan.login,
      pos / kPeriods + 1, start, start + kLessonMinutes, teacher_plan.room, week});
}

void add_slots(Roster& roster, const SchoolPlan& plan,
               const std::vector<ClassTimetable>& timetables) {
  for (std::size_t c = 0; c < timetables.size(); ++c) {
    for (int pos = 0; pos < kPositions; ++pos) {
      const int unit_index = timetables[c].grid[static_cast<std::size_t>(pos)];
      if (unit_index < 0) {
        continue;
      }
      const Unit& unit = timetables[c].units[static_cast<std::size_t>(unit_index)];
      if (unit.every_week) {
        add_slot(roster, plan, c, unit.first, pos, WeekParity::every);
        continue;
      }
      add_slot(roster, plan, c, unit.first, pos, WeekParity::a);
      if (unit.second >= 0) {
        add_slot(roster, plan, c, unit.second, pos, WeekParity::b);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar and homework

struct DayRange {
  std::int64_t first;
  std::int64_t last;
};

// The holiday table as day numbers, parsed once per call (the table is checked by the tests).
std::vector<DayRange> holiday_ranges() {
  std::vector<DayRange> ranges;
  for (const HolidaySpec& holiday : kHolidays) {
    ranges.push_back(DayRange{days_from_civil(*parse_date(holiday.first_day)),
                              days_from_civil(*parse_date(holiday.last_day))});
  }
  return ranges;
}

bool is_school_day(Date date, const std::vector<DayRange>& holidays) {
  if (iso_weekday(date) > kWeekdays) {
    return false;
  }
  const std::int64_t day = days_from_civil(date);
  return std::none_of(holidays.begin(), holidays.end(), [day](const DayRange& range) {
    return day >= range.first && day <= range.last;
  });
}

// The school days homework may be due on: see generate_demo's contract.
std::vector<Date> homework_days(Date today, const std::vector<DayRange>& holidays) {
  Date first = add_days(today, 1);
  while (!is_school_day(first, holidays)) {
    first = add_days(first, 1);  // ends: the table is finite and weekends are two days
  }
  const std::int64_t gap = days_from_civil(first) - days_from_civil(today);
  const Date last = gap <= kHomeworkHorizonDays / 2 ? add_days(today, kHomeworkHorizonDays)
                                                    : add_days(first, kHomeworkHorizonDays - 1);
  std::vector<Date> days;
  for (Date day = first; day <= last; day = add_days(day, 1)) {
    if (is_school_day(day, holidays)) {
      days.push_back(day);
    }
  }
  return days;
}

// The subjects a class has a lesson of on `date` (week A = odd ISO week), in period order.
std::vector<int> subjects_on(const ClassTimetable& timetable, Date date) {
  const bool week_a = iso_week_number(date) % 2 == 1;
  const int day = iso_weekday(date) - 1;
  std::vector<int> subjects;
  for (int p = 0; p < periods_on(day); ++p) {
    const int unit_index = timetable.grid[static_cast<std::size_t>(day * kPeriods + p)];
    if (unit_index < 0) {
      continue;
    }
    const Unit& unit = timetable.units[static_cast<std::size_t>(unit_index)];
    const int subject = unit.every_week || week_a ? unit.first : unit.second;
    if (subject >= 0 && std::find(subjects.begin(), subjects.end(), subject) == subjects.end()) {
      subjects.push_back(subject);
    }
  }
  return subjects;
}

// Replaces the placeholders of a HomeworkTemplate (see there).
std::string fill_template(std::string_view text, std::string_view topic, int page, int exercise,
                          int exercise_end, int number) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}') {
      switch (text[i + 1]) {
        case 't':
          out += topic;
          i += 2;
          continue;
        case 'p':
          out += std::to_string(page);
          i += 2;
          continue;
        case 'a':
          out += std::to_string(exercise);
          i += 2;
          continue;
        case 'b':
          out += std::to_string(exercise_end);
          i += 2;
          continue;
        case 'n':
          out += std::to_string(number);
          i += 2;
          continue;
        case 'm':
          out += std::to_string(number + 1);
          i += 2;
          continue;
        default:
          break;
      }
    }
    out += text[i];
  }
  return out;
}

struct DueLesson {
  std::int64_t day;
  int subject;
};

// (subject, template index) pairs a class has already been given.
using UsedTemplates = std::vector<std::pair<int, std::size_t>>;

// A template the class has not had yet in this subject, while one is left.
std::size_t pick_template(int subject, UsedTemplates& used, Rng& rng) {
  const std::size_t count = kHomework[static_cast<std::size_t>(subject)].templates.size();
  const auto start = static_cast<std::size_t>(rng.below(count));
  for (std::size_t k = 0; k < count; ++k) {
    const std::pair<int, std::size_t> candidate{subject, (start + k) % count};
    if (std::find(used.begin(), used.end(), candidate) == used.end()) {
      used.push_back(candidate);
      return candidate.second;
    }
  }
  return start;
}

HomeworkItem make_homework(const SchoolPlan& plan, std::size_t c, const DueLesson& due,
                           UsedTemplates& used, Rng& rng) {
  const SubjectHomework& texts = kHomework[static_cast<std::size_t>(due.subject)];
  const HomeworkTemplate& chosen = texts.templates[pick_template(due.subject, used, rng)];
  const std::string_view topic =
      texts.topics[static_cast<std::size_t>(rng.below(texts.topics.size()))];
  const int page = rng.between(12, 240);
  const int exercise = rng.between(1, 24);
  const int exercise_end = exercise + rng.between(2, 5);
  const int number = rng.between(1, 6);
  const int teacher = plan.teacher_of[c][static_cast<std::size_t>(due.subject)];
  return HomeworkItem{plan.code,
                      plan.classes[c].code,
                      std::string(kSubjects[static_cast<std::size_t>(due.subject)].code),
                      plan.teachers[static_cast<std::size_t>(teacher)].login,
                      fill_template(chosen.title, topic, page, exercise, exercise_end, number),
                      fill_template(chosen.body, topic, page, exercise, exercise_end, number),
                      format_date(civil_from_days(due.day))};
}

// One item due on the first school day, the others on lessons drawn from the whole fortnight
// (the same lesson twice, or a text twice, only when the fortnight has too few), sorted by due
// day.
void add_homework(Roster& roster, const SchoolPlan& plan,
                  const std::vector<ClassTimetable>& timetables, const std::vector<Date>& days,
                  Rng& rng) {
  for (std::size_t c = 0; c < timetables.size(); ++c) {
    std::vector<DueLesson> lessons;
    for (const Date& day : days) {
      for (int subject : subjects_on(timetables[c], day)) {
        lessons.push_back(DueLesson{days_from_civil(day), subject});
      }
    }
    const auto first_day_lessons = static_cast<std::size_t>(
        std::count_if(lessons.begin(), lessons.end(),
                      [&](const DueLesson& lesson) { return lesson.day == lessons.front().day; }));
    const auto first = static_cast<std::ptrdiff_t>(rng.below(first_day_lessons));
    std::vector<DueLesson> chosen{lessons[static_cast<std::size_t>(first)]};
    std::vector<DueLesson> others = lessons;
    others.erase(others.begin() + first);
    shuffle(others, rng);
    others.insert(others.end(), lessons.begin(), lessons.end());  // spares for a short fortnight
    const auto count =
        static_cast<std::size_t>(rng.between(kMinHomeworkPerClass, kMaxHomeworkPerClass));
    std::array<std::size_t, kSubjectCount> per_subject{};
    ++per_subject[static_cast<std::size_t>(chosen.front().subject)];
    for (std::size_t i = 0; chosen.size() < count && i < others.size(); ++i) {
      // No subject gets more items than it has texts, unless the spares are needed.
      const auto subject = static_cast<std::size_t>(others[i].subject);
      if (i < lessons.size() - 1 && per_subject[subject] >= kHomework[subject].templates.size()) {
        continue;
      }
      ++per_subject[subject];
      chosen.push_back(others[i]);
    }
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const DueLesson& x, const DueLesson& y) { return x.day < y.day; });
    UsedTemplates used;
    for (const DueLesson& due : chosen) {
      roster.homework.push_back(make_homework(plan, c, due, used, rng));
    }
  }
}

// Grades: a few marked evaluations per class in the core subjects, on past school days.

struct GradedSubject {
  SubjectId subject;
  std::array<std::string_view, 4> titles;
};

constexpr auto kGradedSubjects = std::to_array<GradedSubject>({
    {fra, {"Dictée", "Rédaction", "Contrôle de grammaire", "Lecture suivie"}},
    {math, {"Contrôle de calcul", "Interrogation de géométrie", "Devoir maison", "Évaluation"}},
    {hg, {"Contrôle de géographie", "Interrogation d'histoire", "Croquis", "Exposé"}},
    {ang, {"Vocabulary test", "Compréhension orale", "Expression écrite", "Quiz"}},
});
constexpr int kEvaluationsPerSubject = 3;
constexpr int kDaysBetweenEvaluations = 9;
constexpr int kAbsentPercent = 4;
constexpr int kExcusedPercent = 2;

// The school day on or before `date`.
Date school_day_before(Date date, const std::vector<DayRange>& holidays) {
  while (!is_school_day(date, holidays)) {
    date = add_days(date, -1);  // ends: the table is finite and weekends are two days
  }
  return date;
}

// `first_person`: where this school's people start in roster.people.
void add_evaluations(Roster& roster, const SchoolPlan& plan, std::size_t first_person, Date today,
                     Rng& rng) {
  std::unordered_map<std::string, std::vector<std::string>> pupils_of;  // class code -> logins
  for (std::size_t i = first_person; i < roster.people.size(); ++i) {
    if (roster.people[i].role == Role::pupil) {
      pupils_of[roster.people[i].class_code].push_back(roster.people[i].login);
    }
  }
  const std::vector<DayRange> holidays = holiday_ranges();
  for (std::size_t c = 0; c < plan.classes.size(); ++c) {
    for (const GradedSubject& graded : kGradedSubjects) {
      const int teacher = plan.teacher_of[c][static_cast<std::size_t>(graded.subject)];
      for (int k = kEvaluationsPerSubject; k > 0; --k) {
        EvaluationItem item;
        item.school_code = plan.code;
        item.class_code = plan.classes[c].code;
        item.subject_code = std::string(kSubjects[static_cast<std::size_t>(graded.subject)].code);
        item.author_login = plan.teachers[static_cast<std::size_t>(teacher)].login;
        item.title = std::string(graded.titles[static_cast<std::size_t>(rng.below(4))]);
        const int days_back = k * kDaysBetweenEvaluations - rng.between(0, 3);
        item.date = format_date(school_day_before(add_days(today, -days_back), holidays));
        item.out_of = rng.chance(25) ? 10 : 20;
        item.coefficient = rng.chance(30) ? 2 : 1;
        for (const std::string& login : pupils_of[plan.classes[c].code]) {
          MarkItem mark{login, MarkState::graded, 0};
          const int roll = rng.below(100);
          if (roll < kAbsentPercent) {
            mark.state = MarkState::absent;
          } else if (roll < kAbsentPercent + kExcusedPercent) {
            mark.state = MarkState::excused;
          } else {
            // The mean of two draws in half points clusters marks around 12/20, as in a class.
            const int half_points = (rng.between(8, 40) + rng.between(8, 40)) / 2;
            mark.value = half_points / 2.0 * item.out_of / 20;
          }
          item.marks.push_back(std::move(mark));
        }
        roster.evaluations.push_back(std::move(item));
      }
    }
  }
}

// Messages and announcements: a few fixed ones per school, so that the demo shows something
// (no randomness: the other streams stay as they were, and it costs nothing at any size).

constexpr int kAnnouncementDays = 30;

// `first_person`, `first_link`: where this school's people and parent links start in the roster.
void add_messages(Roster& roster, const SchoolPlan& plan, std::size_t first_person,
                  std::size_t first_link, Date today) {
  const std::string principal = "principal." + plan.slug;
  const std::string cpe = "cpe." + plan.slug;
  const std::string until = format_date(add_days(today, kAnnouncementDays));
  roster.announcements.push_back(
      {plan.code,
       principal,
       "Réunion parents-professeurs",
       "Les rencontres parents-professeurs auront lieu jeudi de 17 h à 20 h. Inscriptions auprès "
       "du secrétariat.",
       until,
       {}});
  roster.announcements.push_back(
      {plan.code,
       cpe,
       "Photo de classe",
       "Le photographe passera la semaine prochaine. Pensez au formulaire d'autorisation.",
       until,
       {}});
  const ClassPlan& first_class = plan.classes.front();
  const std::string& french_teacher =
      plan.teachers[static_cast<std::size_t>(plan.teacher_of.front()[fra])].login;
  const std::string& maths_teacher =
      plan.teachers[static_cast<std::size_t>(plan.teacher_of.front()[math])].login;
  roster.announcements.push_back({plan.code,
                                  french_teacher,
                                  "Sortie au théâtre",
                                  "Rendez-vous devant le collège à 13 h 30, retour vers 17 h.",
                                  until,
                                  {first_class.code}});
  roster.conversations.push_back(
      {plan.code,
       "Organisation du conseil de classe",
       {principal, cpe},
       {{principal, "Pouvez-vous préparer les bilans de vie scolaire pour le conseil de classe ?"},
        {cpe, "Oui, ils seront prêts vendredi."}}});
  const Person* pupil = nullptr;
  for (std::size_t i = first_person; i < roster.people.size() && pupil == nullptr; ++i) {
    if (roster.people[i].role == Role::pupil && roster.people[i].class_code == first_class.code) {
      pupil = &roster.people[i];
    }
  }
  if (pupil == nullptr) {
    return;
  }
  roster.conversations.push_back(
      {plan.code,
       "Question sur la rédaction",
       {pupil->login, french_teacher},
       {{pupil->login, "Bonjour, faut-il écrire la rédaction au présent ou au passé ?"},
        {french_teacher, "Au passé simple et à l'imparfait, comme dans le texte étudié."}}});
  for (std::size_t i = first_link; i < roster.parent_links.size(); ++i) {
    if (roster.parent_links[i].pupil_login == pupil->login) {
      const std::string& parent = roster.parent_links[i].parent_login;
      roster.conversations.push_back(
          {plan.code,
           "Absence de lundi",
           {parent, maths_teacher},
           {{parent, "Bonjour, mon enfant sera absent lundi matin pour un rendez-vous médical."},
            {maths_teacher, "Merci de m'avoir prévenu, je lui transmettrai le travail."}}});
      break;
    }
  }
}

void add_holidays(Roster& roster, const std::string& school_code) {
  for (const HolidaySpec& holiday : kHolidays) {
    roster.holidays.push_back(Holiday{school_code, std::string(holiday.first_day),
                                      std::string(holiday.last_day), std::string(holiday.label)});
  }
}

// ---------------------------------------------------------------------------------------------

template <typename T>
void require_in_range(const char* option, T value, T low, T high) {
  // Written as a negation so that NaN is refused too.
  if (!(value >= low && value <= high)) {
    throw std::invalid_argument(std::string("generate_demo: ") + option + " is " +
                                std::to_string(value) + ", must be between " + std::to_string(low) +
                                " and " + std::to_string(high));
  }
}

void validate(const DemoOptions& options) {
  require_in_range("schools", options.schools, demo_limits::min_schools, demo_limits::max_schools);
  require_in_range("classes_per_school", options.classes_per_school,
                   demo_limits::min_classes_per_school, demo_limits::max_classes_per_school);
  require_in_range("pupils_per_class", options.pupils_per_class, demo_limits::min_pupils_per_class,
                   demo_limits::max_pupils_per_class);
  require_in_range("parents_per_pupil", options.parents_per_pupil, 0.0, 1.0);
}

void add_school(Roster& roster, LoginRegistry& logins, const DemoOptions& options, int index,
                const std::vector<Date>& homework_dates) {
  SchoolPlan plan;
  roster.schools.push_back(make_school(index, plan));
  plan.classes = plan_classes(options.classes_per_school);
  for (const ClassPlan& school_class : plan.classes) {
    roster.classes.push_back(SchoolClass{plan.code, school_class.code, school_class.name});
  }
  for (const SubjectInfo& subject : kSubjects) {
    roster.subjects.push_back(
        Subject{plan.code, std::string(subject.code), std::string(subject.name)});
  }
  assign_teachers(plan);
  assign_rooms(plan);

  const std::size_t first_person = roster.people.size();
  Rng names = stream(options.seed, index, Purpose::names);
  Rng passwords = stream(options.seed, index, Purpose::passwords);
  PeopleBuilder people{roster, logins, names, passwords, plan};
  add_staff(people);
  add_teachers(people, plan);
  const std::vector<Family> families = add_pupils(people, options.pupils_per_class);
  const std::size_t first_link = roster.parent_links.size();
  add_parents(people, families, options.parents_per_pupil);

  Rng timetable_rng = stream(options.seed, index, Purpose::timetable);
  const std::vector<ClassTimetable> timetables = schedule_school(plan, timetable_rng);
  add_slots(roster, plan, timetables);
  add_holidays(roster, plan.code);
  Rng homework_rng = stream(options.seed, index, Purpose::homework);
  add_homework(roster, plan, timetables, homework_dates, homework_rng);
  Rng grades_rng = stream(options.seed, index, Purpose::grades);
  add_evaluations(roster, plan, first_person, options.today, grades_rng);
  add_messages(roster, plan, first_person, first_link, options.today);
}

// Upper bounds of each vector's size: at the largest options the Roster holds half a million
// people, and growing the vectors step by step would copy them over and over.
void reserve(Roster& roster, const DemoOptions& options) {
  const auto schools = static_cast<std::size_t>(options.schools);
  const std::size_t classes = schools * static_cast<std::size_t>(options.classes_per_school);
  const std::size_t pupils = classes * static_cast<std::size_t>(options.pupils_per_class);
  const auto parents =
      static_cast<std::size_t>(std::ceil(options.parents_per_pupil * static_cast<double>(pupils)));
  const std::size_t subjects_per_class = kSubjects.size() - 1;  // one second language of two
  roster.schools.reserve(schools);
  roster.classes.reserve(classes);
  roster.subjects.reserve(schools * kSubjects.size());
  roster.people.reserve(pupils + parents + schools * 3 + classes * subjects_per_class);
  roster.teachings.reserve(classes * subjects_per_class);
  roster.parent_links.reserve(parents);
  roster.slots.reserve(classes * static_cast<std::size_t>(kPositions));
  roster.holidays.reserve(schools * kHolidays.size());
  roster.homework.reserve(classes * kMaxHomeworkPerClass);
  roster.evaluations.reserve(classes * kGradedSubjects.size() * kEvaluationsPerSubject);
}

}  // namespace

Roster generate_demo(const DemoOptions& options) {
  validate(options);
  const std::vector<Date> homework_dates = homework_days(options.today, holiday_ranges());
  Roster roster;
  reserve(roster, options);
  LoginRegistry logins(roster.people.capacity());
  for (int index = 0; index < options.schools; ++index) {
    add_school(roster, logins, options, index, homework_dates);
  }
  return roster;
}

}  // namespace cartable
