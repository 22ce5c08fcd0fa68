// The demo's homework worksheets: one PDF per teacher, attached to each of their homework items,
// so that opening and downloading an attachment (as the rentrée scenario does) moves real bytes.
//
// worksheet_pdf is pure (no I/O, no clock): the same Worksheet always gives the same bytes.
// attach_demo_worksheets writes them: blobs through the BlobStore, rows through the Store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "files/blob_store.hpp"
#include "school/model.hpp"
#include "store/store.hpp"

namespace cartable {

struct Worksheet {
  std::string title;   // UTF-8, e.g. "Fiche d'exercices — Mathématiques"
  std::string author;  // UTF-8, e.g. "Marie Dupont"
  std::string school;  // UTF-8, shown under the title; may be empty
  // Picks the exercises (with the texts above): the demo passes one per teacher, so that two
  // teachers of the same name, subject and school still get different files.
  std::uint64_t variant = 0;
};

// Bounds of worksheet_pdf's size, inclusive, whatever the texts.
inline constexpr std::size_t kWorksheetMinBytes = 195'000;
inline constexpr std::size_t kWorksheetMaxBytes = 210'000;

// A valid, uncompressed PDF 1.4 document of about 200 KB (kWorksheetMinBytes..kWorksheetMaxBytes):
// A4 pages of numbered exercises in Helvetica, each headed by the title, author and school and
// footed "Page n / N", with a cross-reference table and the title and author in its document
// information (their first 300 characters). Text is set in WinAnsiEncoding: characters outside it
// print as '?'; invalid UTF-8 as '?' too. Starts with "%PDF-1.4" and ends with "%%EOF\n"; 7-bit
// ASCII throughout.
std::string worksheet_pdf(const Worksheet& worksheet);

// "Fiche - <homework title>.pdf", a name check_file_name accepts: slashes, backslashes, control
// and direction-changing characters and invalid UTF-8 replaced, cut on a character boundary to fit
// the 200 bytes a name may have.
std::string worksheet_file_name(std::string_view homework_title);

struct WorksheetsAttached {
  std::size_t homework = 0;    // items given an attachment
  std::size_t worksheets = 0;  // distinct PDFs written (one per author)
};

// Gives every homework item of the roster's teachers exactly one attachment: its author's
// worksheet (application/pdf, owned by the author, one file row per item, one blob per author).
// Replaces the items' attachments. Meant for a demo just built from `roster`: the homework is
// found in the Store by author (every due date), and authors missing from the Store are skipped.
// The PDFs are made and stored on a few threads, then every row is written in one transaction
// (store.create_homework_attachments). `now` (ISO 8601 UTC) stamps the file rows. Throws what the
// Store and the BlobStore throw; blobs already written then stay until a start-up sweep.
WorksheetsAttached attach_demo_worksheets(Store& store, const files::BlobStore& blobs,
                                          const Roster& roster, const std::string& now);

}  // namespace cartable
