// Where a live lesson's decks are checked and recorded: the teacher may show a PDF they may read
// (files/access.hpp), and once shown it is recorded in the Store so that everyone who may join the
// class's lessons can download it. Runs on the database pools, off the room's strand.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "common/clock.hpp"
#include "live/slides.hpp"
#include "store/database.hpp"

namespace cartable::live {

// The DeckResolver of the rooms: each check runs as a coroutine spawned on `executor`.
// `database` and `clock` outlive every room.
DeckResolver make_deck_resolver(Database& database, const Clock& clock,
                                boost::asio::any_io_executor executor);

}  // namespace cartable::live
