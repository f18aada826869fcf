#pragma once
/// @file
/// @brief The sweep journal: one record per finished member, appended the moment the member
/// finishes, so that `--resume` after a kill at any moment recomputes nothing that finished.
///
/// Each process (MPI rank) appends to a file of its own, `journal-RANK.bin`; a resumed sweep
/// reads them all, whatever the number of ranks was. A record is a length, the bytes and an
/// FNV-1a checksum; a record cut short by a kill fails the check and ends the scan.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace minetwin::sweep {

struct JournalPlace {
  std::filesystem::path file;
  std::uint64_t offset = 0;  ///< of the record's bytes
  std::uint64_t size = 0;
};

/// Finished members found in the journals of @p folder that belong to the sweep with
/// @p fingerprint, by member index. Journals of another sweep are ignored.
std::map<std::size_t, JournalPlace> scan_journals(const std::filesystem::path& folder,
                                                  std::uint64_t fingerprint,
                                                  std::size_t (*index_of)(const std::string&));

/// Whether @p folder holds a journal of another sweep (another file, --samples or --set).
bool holds_other_journal(const std::filesystem::path& folder, std::uint64_t fingerprint);

/// The bytes of one record.
std::string read_journal_record(const JournalPlace& place);

/// This process's journal, opened for appending (cut back to its last whole record).
class JournalWriter {
 public:
  JournalWriter(const std::filesystem::path& folder, int rank, std::uint64_t fingerprint);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  /// Appends one record; thread-safe. Returns the number of records this writer appended.
  std::size_t append(const std::string& bytes);

 private:
  int descriptor_ = -1;
  std::mutex mutex_;
  std::size_t appended_ = 0;
};

}  // namespace minetwin::sweep
