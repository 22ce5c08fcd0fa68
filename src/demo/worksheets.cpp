#include "demo/worksheets.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "demo/rng.hpp"
#include "files/file_name.hpp"

namespace cartable {

namespace {

// ---------------------------------------------------------------------------------------------
// Text

constexpr char32_t kReplacement = 0xFFFD;

// The next code point of `text` from `i` (advanced past it); kReplacement for a byte that does not
// start valid, shortest-form UTF-8 (then only that byte is consumed).
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  char32_t code_point = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + length > text.size()) {
    ++i;
    return kReplacement;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(text[i + k]);
    if ((byte & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  const bool overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  if (overlong || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    ++i;
    return kReplacement;
  }
  i += length;
  return code_point;
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

bool is_control(char32_t code_point) {
  return code_point < 0x20 || code_point == 0x7F || (code_point >= 0x80 && code_point < 0xA0);
}

bool is_direction_override(char32_t code_point) {
  return (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

// The WinAnsiEncoding (PDF 1.4, appendix D) byte of a code point, '?' when it has none.
unsigned char win_ansi(char32_t code_point) {
  if (code_point >= 0x20 && code_point < 0x7F) {
    return static_cast<unsigned char>(code_point);
  }
  if (code_point == '\t' || code_point == 0x202F || code_point == 0x2009) {
    return ' ';  // tabs and the thin spaces of French typography
  }
  if (code_point >= 0xA0 && code_point <= 0xFF) {
    return static_cast<unsigned char>(code_point);
  }
  struct Extra {
    char32_t code_point;
    unsigned char byte;
  };
  static constexpr std::array<Extra, 27> kExtras{{
      {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
      {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
      {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
      {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
      {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
      {0x017E, 0x9E}, {0x0178, 0x9F},
  }};
  for (const Extra& extra : kExtras) {
    if (extra.code_point == code_point) {
      return extra.byte;
    }
  }
  return '?';
}

// Appends `text` (UTF-8) in WinAnsiEncoding, escaped for a PDF literal string, at most
// `max_glyphs` characters (an ellipsis ends a cut text): parentheses and backslashes escaped, every
// byte outside printable ASCII written in octal, so the file stays 7-bit.
void append_escaped(std::string& out, std::string_view text, std::size_t max_glyphs = 1000) {
  auto put = [&out](unsigned char byte) {
    if (byte == '(' || byte == ')' || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte < 0x20 || byte >= 0x7F) {
      out += '\\';
      out += static_cast<char>('0' + (byte >> 6));
      out += static_cast<char>('0' + ((byte >> 3) & 7));
      out += static_cast<char>('0' + (byte & 7));
    } else {
      out += static_cast<char>(byte);
    }
  };
  std::size_t glyphs = 0;
  for (std::size_t i = 0; i < text.size(); ++glyphs) {
    if (glyphs + 1 == max_glyphs) {
      // The last one that fits: the last character, or an ellipsis when more follow.
      const unsigned char byte = win_ansi(next_code_point(text, i));
      put(i < text.size() ? 0x85 : byte);
      break;
    }
    put(win_ansi(next_code_point(text, i)));
  }
}

// `text` as a PDF literal string: "(" + append_escaped + ")".
std::string pdf_literal(std::string_view text, std::size_t max_glyphs = 1000) {
  std::string out = "(";
  append_escaped(out, text, max_glyphs);
  out += ')';
  return out;
}

// `text` (UTF-8) as a PDF text string for the document information: UTF-16BE with its byte order
// mark, in hex; at most `max_characters` code points.
std::string pdf_text_string(std::string_view text, std::size_t max_characters) {
  std::string out = "<FEFF";
  auto unit = [&out](unsigned value) {
    std::array<char, 5> hex{};
    std::snprintf(hex.data(), hex.size(), "%04X", value & 0xFFFFu);
    out += hex.data();
  };
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size() && characters < max_characters; ++characters) {
    char32_t code_point = next_code_point(text, i);
    if (is_control(code_point) || is_direction_override(code_point)) {
      code_point = ' ';
    }
    if (code_point >= 0x10000) {
      const char32_t offset = code_point - 0x10000;
      unit(0xD800 + (offset >> 10));
      unit(0xDC00 + (offset & 0x3FF));
    } else {
      unit(code_point);
    }
  }
  return out + ">";
}

// Splits `text` on spaces into lines of at most `width` characters (a longer word gets a line of
// its own; pdf_literal cuts it).
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_glyphs = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view word = text.substr(start, end - start);
    std::size_t word_glyphs = 0;
    for (const char c : word) {
      word_glyphs += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    if (!word.empty()) {
      if (line_glyphs > 0 && line_glyphs + 1 + word_glyphs > width) {
        lines.push_back(std::move(line));
        line.clear();
        line_glyphs = 0;
      }
      if (line_glyphs > 0) {
        line += ' ';
        ++line_glyphs;
      }
      line += word;
      line_glyphs += word_glyphs;
    }
    start = end + 1;
  }
  if (!line.empty() || lines.empty()) {
    lines.push_back(std::move(line));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Exercises

using demo::Rng;

// FNV-1a, to seed the exercises from the worksheet's texts.
std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  hash ^= 0xFF;  // a separator, so ("ab", "c") and ("a", "bc") differ
  return hash * 0x100000001b3ULL;
}

constexpr auto kParts = std::to_array<std::string_view>(
    {"Échauffement", "Application directe", "Entraînement", "Problème", "Révisions",
     "Pour aller plus loin", "Défi (facultatif)", "Méthode"});

// Placeholders: {x}, {y}, {z} small numbers; {s} = {x} + {y}.
constexpr auto kQuestions = std::to_array<std::string_view>({
    "Lire attentivement l'énoncé n°{x} et souligner les mots importants.",
    "Calculer : {x} × {y} + {z} = .............. (détailler les étapes).",
    "Compléter le tableau {z} avec les valeurs trouvées (unités comprises).",
    "Rédiger une réponse de {x} à {s} lignes, en justifiant chaque étape.",
    "Relever dans le document {y} trois exemples ; les classer dans un tableau.",
    "Vérifier le résultat (à l'aide de la calculatrice si besoin).",
    "Expliquer la méthode en citant la leçon, paragraphe {z}.",
    "Recopier et corriger si nécessaire : « {x} + {y} = {s} ».",
    "Faire un schéma légendé de la situation décrite au {x}e paragraphe.",
    "Donner la définition du mot souligné, puis l'employer dans une phrase.",
    "Comparer les documents {x} et {y} : points communs et différences.",
    "Résumer le texte en {s} lignes au plus, sans recopier de phrase.",
});

// The texts above, escaped once (placeholders are plain ASCII and survive it): most of a
// worksheet's bytes are these, and escaping them for every line would be most of its making.
struct EscapedTexts {
  std::vector<std::string> parts;
  std::vector<std::string> questions;
};

const EscapedTexts& escaped_texts() {
  static const EscapedTexts texts = [] {
    EscapedTexts escaped;
    for (const std::string_view part : kParts) {
      append_escaped(escaped.parts.emplace_back(), part);
    }
    for (const std::string_view question : kQuestions) {
      append_escaped(escaped.questions.emplace_back(), question);
    }
    return escaped;
  }();
  return texts;
}

void append_number(std::string& out, int number) {
  std::array<char, 12> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
  out.append(digits.data(), end);
}

// Appends an escaped pattern with its placeholders replaced.
void append_filled(std::string& out, std::string_view pattern, int x, int y, int z) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      const char name = pattern[i + 1];
      append_number(out, name == 'x' ? x : name == 'y' ? y : name == 'z' ? z : x + y);
      i += 2;
    } else {
      out += pattern[i];
    }
  }
}

enum class LineKind { blank, heading, question };

// Numbered exercises, one line at a time: a bold heading, then questions a), b), ..., then a
// blank line.
class Exercises {
 public:
  explicit Exercises(std::uint64_t seed) : rng_(seed) {}

  // The next line; `literal` is set to its text as a PDF literal string (unless blank).
  LineKind next(std::string& literal) {
    literal.clear();
    const EscapedTexts& texts = escaped_texts();
    if (question_ == questions_) {
      if (number_ > 0 && !blank_done_) {
        blank_done_ = true;
        return LineKind::blank;
      }
      blank_done_ = false;
      ++number_;
      question_ = 0;
      questions_ = rng_.between(3, 7);
      literal += "(Exercice ";
      append_number(literal, number_);
      literal += " \\227 ";  // an em dash
      literal += texts.parts[rng_.next() % texts.parts.size()];
      literal += " \\(";
      append_number(literal, rng_.between(2, 6));
      literal += " points\\))";
      return LineKind::heading;
    }
    const std::string& pattern = texts.questions[rng_.next() % texts.questions.size()];
    const int x = rng_.between(2, 19);
    const int y = x + rng_.between(1, 6);
    const int z = rng_.between(1, 9);
    literal += '(';
    literal += static_cast<char>('a' + question_);
    literal += "\\) ";
    append_filled(literal, pattern, x, y, z);
    literal += ')';
    ++question_;
    return LineKind::question;
  }

 private:
  Rng rng_;
  int number_ = 0;
  int question_ = 0;
  int questions_ = 0;
  bool blank_done_ = false;
};

// ---------------------------------------------------------------------------------------------
// Layout (A4 in points, origin bottom left)

constexpr int kPageWidth = 595;
constexpr int kPageHeight = 842;
constexpr int kMargin = 56;
constexpr int kFirstLineY = 716;
constexpr int kLastLineY = 72;
constexpr int kLeading = 13;
constexpr std::size_t kTitleWidth = 58;  // characters per title line at 14 pt
constexpr std::size_t kMaxTitleLines = 3;
constexpr std::size_t kTargetBytes = 200'000;
// What a page adds besides its content stream's text lines: its objects, cross-reference entries,
// reference in /Kids and footer (an estimate; only the total's range matters).
constexpr std::size_t kPageOverhead = 300;
constexpr std::size_t kFixedOverhead = 200;

void text_at(std::string& stream, const char* font, int size, int x, int y,
             const std::string& literal) {
  stream += "BT /";
  stream += font;
  stream += ' ';
  append_number(stream, size);
  stream += " Tf ";
  append_number(stream, x);
  stream += ' ';
  append_number(stream, y);
  stream += " Td ";
  stream += literal;
  stream += " Tj ET\n";
}

// The top of every page: title, author and school, a rule, and on the first page a line to write
// one's name on.
std::string page_header(const Worksheet& worksheet, bool first) {
  std::string stream;
  std::vector<std::string> title = wrap(worksheet.title, kTitleWidth);
  if (title.size() > kMaxTitleLines) {
    title.resize(kMaxTitleLines);
    title.back() += " …";
  }
  int y = 800;
  for (const std::string& line : title) {
    text_at(stream, "F2", 14, kMargin, y, pdf_literal(line, kTitleWidth + 2));
    y -= 17;
  }
  std::string byline = worksheet.author;
  if (!worksheet.school.empty()) {
    byline += " — " + worksheet.school;
  }
  text_at(stream, "F1", 10, kMargin, y - 2, pdf_literal(byline, 90));
  stream += "0.5 w " + std::to_string(kMargin) + " 740 m " + std::to_string(kPageWidth - kMargin) +
            " 740 l S\n";
  if (first) {
    text_at(stream, "F1", 10, kMargin, 726,
            pdf_literal("Nom : ............................   Prénom : "
                        "............................   Classe : ..........."));
  }
  return stream;
}

std::string page_footer(std::size_t page, std::size_t pages) {
  std::string stream;
  text_at(stream, "F1", 9, kPageWidth / 2 - 20, 36,
          pdf_literal("Page " + std::to_string(page) + " / " + std::to_string(pages)));
  return stream;
}

// Writes the objects and the cross-reference table; `objects[k]` is object k + 1's body.
std::string assemble(const std::vector<std::string>& objects, std::size_t root, std::size_t info) {
  std::size_t size = 1'000 + 40 * objects.size();
  for (const std::string& object : objects) {
    size += object.size();
  }
  std::string pdf;
  pdf.reserve(size);
  pdf += "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  offsets.reserve(objects.size());
  for (std::size_t k = 0; k < objects.size(); ++k) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(k + 1);
    pdf += " 0 obj\n";
    pdf += objects[k];
    pdf += "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    std::array<char, 21> entry{};
    std::snprintf(entry.data(), entry.size(), "%010zu 00000 n \n", offset);
    pdf += entry.data();
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root " +
         std::to_string(root) + " 0 R /Info " + std::to_string(info) + " 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// ---------------------------------------------------------------------------------------------
// Attaching

// Writes the bytes as a blob (or finds them there: the same bytes are the same blob).
files::Blob store_blob(const files::BlobStore& blobs, const std::string& bytes) {
  auto writer = blobs.begin();
  writer->append(std::span<const char>(bytes.data(), bytes.size()));
  return writer->commit();
}

}  // namespace

std::string worksheet_pdf(const Worksheet& worksheet) {
  std::uint64_t seed = fnv1a(0xcbf29ce484222325ULL, worksheet.title);
  seed = fnv1a(seed, worksheet.author);
  seed = fnv1a(seed, worksheet.school);
  Exercises exercises(seed ^ worksheet.variant);

  const std::string information = "<< /Title " + pdf_text_string(worksheet.title, 300) +
                                  " /Author " + pdf_text_string(worksheet.author, 300) +
                                  " /Producer (Cartable) >>";

  // Fill pages until the estimated size reaches the target.
  const std::string first_header = page_header(worksheet, true);
  const std::string header = page_header(worksheet, false);
  std::vector<std::string> bodies;
  std::size_t estimate = kFixedOverhead + information.size();
  std::string literal;
  while (estimate < kTargetBytes) {
    std::string body;
    body.reserve(6'000);
    body += bodies.empty() ? first_header : header;
    for (int y = bodies.empty() ? kFirstLineY - 2 * kLeading : kFirstLineY; y >= kLastLineY;
         y -= kLeading) {
      if (estimate + body.size() >= kTargetBytes) {
        break;
      }
      switch (exercises.next(literal)) {
        case LineKind::blank:
          break;
        case LineKind::heading:
          text_at(body, "F2", 11, kMargin, y, literal);
          break;
        case LineKind::question:
          text_at(body, "F1", 10, kMargin + 14, y, literal);
          break;
      }
    }
    estimate += body.size() + kPageOverhead;
    bodies.push_back(std::move(body));
  }

  // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 information, then page and contents pairs.
  constexpr std::size_t kFirstPage = 6;
  std::vector<std::string> objects;
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (std::size_t page = 0; page < bodies.size(); ++page) {
    kids += (page == 0 ? "" : " ") + std::to_string(kFirstPage + 2 * page) + " 0 R";
  }
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(bodies.size()) +
                    " >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  objects.push_back(information);
  for (std::size_t page = 0; page < bodies.size(); ++page) {
    const std::string contents = bodies[page] + page_footer(page + 1, bodies.size());
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(kPageWidth) +
                      " " + std::to_string(kPageHeight) +
                      "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " +
                      std::to_string(kFirstPage + 2 * page + 1) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(contents.size()) + " >>\nstream\n" + contents +
                      "\nendstream");
  }
  return assemble(objects, 1, 5);
}

std::string worksheet_file_name(std::string_view homework_title) {
  constexpr std::string_view kPrefix = "Fiche - ";
  constexpr std::string_view kSuffix = ".pdf";
  const std::size_t budget = files::kMaxFileNameBytes - kPrefix.size() - kSuffix.size();
  std::string title;
  for (std::size_t i = 0; i < homework_title.size();) {
    char32_t code_point = next_code_point(homework_title, i);
    if (code_point == '/' || code_point == '\\') {
      code_point = '-';
    } else if (is_control(code_point)) {
      code_point = ' ';
    } else if (is_direction_override(code_point) || code_point == kReplacement) {
      code_point = '_';
    }
    std::string encoded;
    append_utf8(encoded, code_point);
    if (title.size() + encoded.size() > budget) {
      break;
    }
    title += encoded;
  }
  while (!title.empty() && title.back() == ' ') {
    title.pop_back();
  }
  while (!title.empty() && title.front() == ' ') {
    title.erase(title.begin());
  }
  std::string name = title.empty() ? "Fiche" + std::string(kSuffix)
                                   : std::string(kPrefix) + title + std::string(kSuffix);
  if (!std::holds_alternative<std::string>(files::check_file_name(name))) {
    return "Fiche" + std::string(kSuffix);  // not reached with the replacements above
  }
  return name;
}

WorksheetsAttached attach_demo_worksheets(Store& store, const files::BlobStore& blobs,
                                          const Roster& roster, const std::string& now) {
  std::map<std::string, std::string, std::less<>> school_names;
  for (const School& school : roster.schools) {
    school_names.emplace(school.code, school.name);
  }
  std::map<std::string, const Person*, std::less<>> people;
  for (const Person& person : roster.people) {
    people.emplace(person.login, &person);
  }

  // Each author's homework and worksheet, authors in the order of their first item: the same
  // roster, the same writes.
  struct Job {
    Id author_id = 0;
    std::vector<HomeworkRecord> homework;
    Worksheet worksheet;
    files::Blob blob;
  };
  std::vector<Job> jobs;
  std::set<std::string, std::less<>> seen;
  for (const HomeworkItem& item : roster.homework) {
    const auto person = people.find(item.author_login);
    if (person == people.end() || !seen.insert(item.author_login).second) {
      continue;
    }
    const Person& author = *person->second;
    const auto credentials = store.credentials(author.login);
    if (!credentials) {
      continue;
    }
    Job job;
    job.author_id = credentials->user_id;
    job.homework = store.authored_homework(job.author_id, "0000-01-01", "9999-12-31");
    if (job.homework.empty()) {
      continue;
    }
    std::set<std::string> subjects;
    for (const HomeworkRecord& record : job.homework) {
      subjects.insert(record.subject.name);
    }
    std::string title = "Fiche d'exercices — ";
    for (const std::string& subject : subjects) {
      title += (subject == *subjects.begin() ? "" : ", ") + subject;
    }
    const auto school = school_names.find(author.school_code);
    job.worksheet = {std::move(title), author.first_name + " " + author.last_name,
                     school == school_names.end() ? std::string() : school->second,
                     fnv1a(0, author.login)};
    jobs.push_back(std::move(job));
  }

  // Making and storing the PDFs takes the time (about 200 KB each, hashed and fsynced): on several
  // threads, which also overlap the waits on the disk.
  std::atomic<std::size_t> next{0};
  const std::size_t threads =
      std::min<std::size_t>(jobs.size(), std::max(4u, std::thread::hardware_concurrency()));
  std::vector<std::exception_ptr> failures(threads);
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        try {
          for (std::size_t i = next++; i < jobs.size(); i = next++) {
            jobs[i].blob = store_blob(blobs, worksheet_pdf(jobs[i].worksheet));
          }
        } catch (...) {
          failures[t] = std::current_exception();
          next = jobs.size();
        }
      });
    }
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) {
      std::rethrow_exception(failure);
    }
  }

  // The rows, in one transaction.
  std::vector<NewHomeworkAttachment> attachments;
  for (const Job& job : jobs) {
    for (const HomeworkRecord& item : job.homework) {
      attachments.push_back({item.id,
                             {job.blob.sha256, job.blob.size, job.blob.crc32, "application/pdf",
                              worksheet_file_name(item.title), job.author_id, item.school_id}});
    }
  }
  if (!attachments.empty()) {
    store.create_homework_attachments(attachments, now);
  }
  return {attachments.size(), jobs.size()};
}

}  // namespace cartable
