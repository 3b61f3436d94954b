// The Java <-> C++ contract: every number that crosses JNI with a meaning, and the Java constant
// that must equal it. This file owns the contract. The enum values themselves are owned by the core
// headers (layout.hpp: element types and kinds, which are segment-format codes; inspect.hpp: owner
// states and sweep actions; error.hpp: error codes; number_text.hpp: the CSV reader's cell kinds
// and outcomes); the mutual-information flag bits, which exist
// only at the JNI boundary, are owned here.
//
// The C++ side is checked when this file compiles (static_asserts below: every enumerator listed
// once, in code order, and the format codes pinned). The Java side is checked when the library
// loads: JNI_OnLoad (check_contract in jni_support.cpp) reads each Java constant by name and
// refuses to load on any difference, naming it ("ElementType.FLOAT32: Java 2, native 1"), so a
// drift never reaches a segment or a wrong exception type. Nothing here includes jni.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "memshare/error.hpp"
#include "memshare/inspect.hpp"
#include "memshare/layout.hpp"
#include "memshare/lock.hpp"
#include "memshare/number_text.hpp"

namespace memshare::jni::contract {

template <typename E>
constexpr int32_t code(E e) {
    return static_cast<int32_t>(e);
}

// One Java constant (an enum constant, or a static int field) and the value it must have.
struct Constant {
    const char* java;
    int32_t value;
};

// The constants of one Java class. `field` non-null: an enum whose constants carry that int field
// and that has exactly the constants listed. `field` null: static final int fields of that name.
struct JavaConstants {
    const char* java_class;  // JNI form, e.g. "org/memshare/ElementType"
    const char* field;
    const Constant* constants;
    std::size_t count;
};

constexpr int key_of(const Constant& c) { return c.value; }

// Whether a table keyed by an enum has one row per enumerator (`count`), each at its key's index
// (key_of(rows[i]) == i): a new enumerator without a row, or a renumbered one, fails to compile,
// and the glue may index the table by the enum.
template <typename Row, std::size_t N>
constexpr bool indexed_rows(const Row (&rows)[N], int count) {
    if (N != static_cast<std::size_t>(count)) return false;
    for (std::size_t i = 0; i < N; ++i)
        if (key_of(rows[i]) != static_cast<int>(i)) return false;
    return true;
}

// --- element types: org.memshare.ElementType (code, size) ------------------------------------

// Codes are stored in segments (trailer, non-double type codes): they can never change.
static_assert(code(ElementType::Float64) == 0 && code(ElementType::Float32) == 1 && code(ElementType::Int64) == 2 &&
                  code(ElementType::Int32) == 3 && code(ElementType::Int8) == 4,
              "element type codes are part of the segment format");

inline constexpr Constant kElementTypes[] = {
    {"FLOAT64", code(ElementType::Float64)}, {"FLOAT32", code(ElementType::Float32)}, {"INT64", code(ElementType::Int64)},
    {"INT32", code(ElementType::Int32)},     {"INT8", code(ElementType::Int8)},
};
static_assert(indexed_rows(kElementTypes, kElementTypeCount));

// Java sizes its buffers and index arithmetic by ElementType.byteSize(): it must be element_size().
constexpr int32_t byte_size(ElementType t) { return static_cast<int32_t>(element_size(t)); }
inline constexpr Constant kElementTypeSizes[] = {
    {"FLOAT64", byte_size(ElementType::Float64)}, {"FLOAT32", byte_size(ElementType::Float32)}, {"INT64", byte_size(ElementType::Int64)},
    {"INT32", byte_size(ElementType::Int32)},     {"INT8", byte_size(ElementType::Int8)},
};
static_assert(std::size(kElementTypeSizes) == std::size(kElementTypes));

// --- kinds: org.memshare.VariableKind (code) -------------------------------------------------

// R memshare's type codes for double data, stored in every metadata record.
static_assert(code(Kind::Matrix) == 0 && code(Kind::Vector) == 1 && code(Kind::List) == 2,
              "kind codes are R memshare's type codes");

inline constexpr Constant kKinds[] = {
    {"MATRIX", code(Kind::Matrix)}, {"VECTOR", code(Kind::Vector)}, {"LIST", code(Kind::List)},
};
static_assert(indexed_rows(kKinds, kKindCount));

// A list's element shapes cross JNI as (kind code, nrow, ncol) triples, both ways
// (NativeRegistry.createPage; NativeAttachment/NativeSegment.elementShapes).
inline std::vector<int64_t> shape_triples(const VariableLayout& layout) {
    std::vector<int64_t> out;
    for (const auto& e : layout.elements) {
        out.push_back(code(e.kind));
        out.push_back(static_cast<int64_t>(e.nrow));
        out.push_back(static_cast<int64_t>(e.ncol));
    }
    return out;
}

// --- owner states: org.memshare.SegmentInfo.OwnerState (code) --------------------------------

inline constexpr Constant kOwnerStates[] = {
    {"ALIVE", code(OwnerState::Alive)}, {"DEAD", code(OwnerState::Dead)}, {"UNKNOWN", code(OwnerState::Unknown)},
};
static_assert(indexed_rows(kOwnerStates, kOwnerStateCount));

// --- publish states: org.memshare.SegmentInfo.PublishState (code) ----------------------------

// Stored in metadata segments (docs/FORMAT.md §2): they can never change.
static_assert(code(PublishState::Published) == 0 && code(PublishState::Filling) == 1,
              "publish state codes are part of the segment format");

inline constexpr Constant kPublishStates[] = {
    {"PUBLISHED", code(PublishState::Published)}, {"FILLING", code(PublishState::Filling)},
};
static_assert(indexed_rows(kPublishStates, kPublishStateCount));

// --- sweep actions: org.memshare.SweepEntry.Action (code) ------------------------------------

inline constexpr Constant kSweepActions[] = {
    {"REMOVED", code(SweepAction::Removed)},
    {"WOULD_REMOVE", code(SweepAction::WouldRemove)},
    {"KEPT_LIVE_OWNER", code(SweepAction::LiveOwner)},
    {"KEPT_OTHER_USER", code(SweepAction::OtherUser)},
    {"KEPT_UNKNOWN_OWNER", code(SweepAction::UnknownOwner)},
    {"FAILED", code(SweepAction::Failed)},
};
static_assert(indexed_rows(kSweepActions, kSweepActionCount));

// --- lock outcomes: org.memshare.internal.LockOutcome (code) ---------------------------------

inline constexpr Constant kLockOutcomes[] = {
    {"ACQUIRED", code(LockOutcome::Acquired)}, {"OWNER_DIED", code(LockOutcome::OwnerDied)}, {"BUSY", code(LockOutcome::Busy)},
};
static_assert(indexed_rows(kLockOutcomes, kLockOutcomeCount));

// --- the CSV number reader: org.memshare.text.NumberText$Cell and $Outcome (code) --------------

inline constexpr Constant kCellKinds[] = {
    {"SKIP", code(text::CellKind::Skip)}, {"NUMBER", code(text::CellKind::Number)},
    {"NUMBER_OR_MISSING", code(text::CellKind::NumberOrMissing)},
};
static_assert(indexed_rows(kCellKinds, text::kCellKindCount));

inline constexpr Constant kTextOutcomes[] = {
    {"PARSED", code(text::Outcome::Parsed)},
    {"QUOTE", code(text::Outcome::Quote)},
    {"NOT_A_NUMBER", code(text::Outcome::NotANumber)},
    {"MISSING_WHERE_FINITE", code(text::Outcome::MissingWhereFinite)},
    {"CELL_COUNT", code(text::Outcome::CellCount)},
    {"LONE_CARRIAGE_RETURN", code(text::Outcome::LoneCarriageReturn)},
    {"ROW_COUNT", code(text::Outcome::RowCount)},
    {"NO_RECORD_END", code(text::Outcome::NoRecordEnd)},
};
static_assert(indexed_rows(kTextOutcomes, text::kOutcomeCount));

// --- mutual-information flags: org.memshare.mi.MutualInfoOptions (static ints) --------------

// The bit set NativeMutualInfo.arrays/buffers take, one bit per MutualInfoOptions bool.
enum MutualInfoFlag : int32_t { kXDiscrete = 1, kYDiscrete = 2, kNaRm = 4, kUseMpmi = 8 };

inline constexpr Constant kMutualInfoFlags[] = {
    {"X_DISCRETE", kXDiscrete}, {"Y_DISCRETE", kYDiscrete}, {"NA_RM", kNaRm}, {"USE_MPMI", kUseMpmi},
};

inline constexpr JavaConstants kJavaConstants[] = {
    {"org/memshare/ElementType", "code", kElementTypes, std::size(kElementTypes)},
    {"org/memshare/ElementType", "size", kElementTypeSizes, std::size(kElementTypeSizes)},
    {"org/memshare/VariableKind", "code", kKinds, std::size(kKinds)},
    {"org/memshare/SegmentInfo$OwnerState", "code", kOwnerStates, std::size(kOwnerStates)},
    {"org/memshare/SegmentInfo$PublishState", "code", kPublishStates, std::size(kPublishStates)},
    {"org/memshare/SweepEntry$Action", "code", kSweepActions, std::size(kSweepActions)},
    {"org/memshare/mi/MutualInfoOptions", nullptr, kMutualInfoFlags, std::size(kMutualInfoFlags)},
    {"org/memshare/internal/LockOutcome", "code", kLockOutcomes, std::size(kLockOutcomes)},
    {"org/memshare/text/NumberText$Cell", "code", kCellKinds, std::size(kCellKinds)},
    {"org/memshare/text/NumberText$Outcome", "code", kTextOutcomes, std::size(kTextOutcomes)},
};

// --- error codes: the Java exception each ErrorCode is thrown as -----------------------------

struct ExceptionMapping {
    ErrorCode code;
    const char* java_class;  // JNI form
    // Constructed (String namespace, String variable, String message, int osError), as every
    // org.memshare.MemshareException is; otherwise thrown with the message alone (ThrowNew).
    bool memshare_constructor;
};

inline constexpr ExceptionMapping kExceptions[] = {
    {ErrorCode::InvalidArgument, "java/lang/IllegalArgumentException", false},
    {ErrorCode::InvalidName, "org/memshare/InvalidNameException", true},
    {ErrorCode::NotFound, "org/memshare/VariableNotFoundException", true},
    {ErrorCode::AlreadyExists, "org/memshare/AlreadyRegisteredException", true},
    {ErrorCode::OutOfSpace, "org/memshare/OutOfSpaceException", true},
    {ErrorCode::Corrupt, "org/memshare/CorruptSegmentException", true},
    {ErrorCode::PermissionDenied, "org/memshare/PermissionDeniedException", true},
    {ErrorCode::ResourceLimit, "org/memshare/ResourceLimitException", true},
    {ErrorCode::Io, "org/memshare/MemshareException", true},
};

constexpr int key_of(const ExceptionMapping& m) { return code(m.code); }
static_assert(indexed_rows(kExceptions, kErrorCodeCount), "kExceptions must list every ErrorCode once, in code order");

}  // namespace memshare::jni::contract
