// JNI glue for org.memshare.internal.NativeText: the CSV number reader (memshare/number_text.hpp)
// over a direct byte buffer, writing into the direct double buffers whose addresses
// NumberText.Columns took; and the first pass over a file (memshare/record_scan.hpp) for
// RecordScan. Converts and checks the arguments; no logic of its own.
#include "org_memshare_internal_NativeText.h"

#include <string>
#include <vector>

#include "contract.hpp"
#include "jni_support.hpp"
#include "memshare/number_text.hpp"
#include "memshare/record_scan.hpp"

using namespace memshare;
using namespace memshare::jni;

namespace {

Error invalid(const std::string& what) { return Error(ErrorCode::InvalidArgument, what); }

char ascii(jchar c, const char* name) {
    if (c == 0 || c >= 0x80) throw invalid(std::string(name) + " must be an ASCII character");
    return static_cast<char>(c);
}

}  // namespace

JNIEXPORT jlong JNICALL Java_org_memshare_internal_NativeText_address(JNIEnv* env, jclass, jobject buffer) {
    Subject s;
    return guarded<jlong>(env, s, 0, [&] {
        void* base = buffer == nullptr ? nullptr : env->GetDirectBufferAddress(buffer);
        if (base == nullptr) throw invalid("not a direct buffer");
        return static_cast<jlong>(reinterpret_cast<intptr_t>(base));
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeText_parse(JNIEnv* env, jclass, jobject text, jint offset, jint length,
                                                                  jboolean last, jboolean skip_first_record, jchar separator,
                                                                  jchar decimal_point, jbyteArray kinds, jlongArray outputs,
                                                                  jint rows, jint first_row, jintArray result) {
    Subject s;
    guarded_void(env, s, [&] {
        if (kinds == nullptr || outputs == nullptr || result == nullptr) throw invalid("kinds, outputs and result must not be null");
        const char* base = text == nullptr ? nullptr : static_cast<const char*>(env->GetDirectBufferAddress(text));
        const jlong capacity = text == nullptr ? -1 : env->GetDirectBufferCapacity(text);
        if (base == nullptr || capacity < 0) throw invalid("the text is not a direct buffer");
        if (offset < 0 || length < 0 || static_cast<jlong>(offset) + length > capacity)
            throw invalid("text bytes [" + std::to_string(offset) + ", +" + std::to_string(length) + ") outside a buffer of " +
                          std::to_string(capacity));
        const jsize columns = env->GetArrayLength(kinds);
        if (env->GetArrayLength(outputs) != columns) throw invalid("one output per column");
        if (env->GetArrayLength(result) < 4) throw invalid("the result needs 4 ints");
        if (rows < 0 || first_row < 0 || first_row > rows) throw invalid("first row outside the outputs' rows");

        std::vector<text::CellKind> cell_kinds(static_cast<std::size_t>(columns));
        std::vector<jlong> addresses(static_cast<std::size_t>(columns));
        env->GetByteArrayRegion(kinds, 0, columns, reinterpret_cast<jbyte*>(cell_kinds.data()));
        env->GetLongArrayRegion(outputs, 0, columns, addresses.data());
        std::vector<double*> out(static_cast<std::size_t>(columns));
        for (std::size_t c = 0; c < out.size(); ++c) {
            const auto k = static_cast<int>(cell_kinds[c]);
            if (k < 0 || k >= text::kCellKindCount) throw invalid("column " + std::to_string(c) + ": no such cell kind");
            if (cell_kinds[c] != text::CellKind::Skip && addresses[c] == 0)
                throw invalid("column " + std::to_string(c) + " is read but has no output");
            out[c] = reinterpret_cast<double*>(static_cast<intptr_t>(addresses[c]));
        }
        text::NumberPlan plan;
        plan.separator = ascii(separator, "the separator");
        plan.decimal_point = ascii(decimal_point, "the decimal point");
        if (plan.separator == plan.decimal_point) throw invalid("the separator and the decimal point are the same");
        plan.kinds = cell_kinds.data();
        plan.outputs = out.data();
        plan.columns = out.size();
        plan.rows = static_cast<std::size_t>(rows);
        const text::NumberProgress p = text::parse_numbers(base + offset, static_cast<std::size_t>(length), last != JNI_FALSE,
                                                           skip_first_record != JNI_FALSE, plan, static_cast<std::size_t>(first_row));
        const jint values[4] = {contract::code(p.outcome), static_cast<jint>(p.consumed), static_cast<jint>(p.rows),
                                static_cast<jint>(p.at)};
        env->SetIntArrayRegion(result, 0, 4, values);
    });
}

JNIEXPORT void JNICALL Java_org_memshare_internal_NativeText_scanRecords(JNIEnv* env, jclass, jobject bytes, jint offset, jint length,
                                                                        jlong at, jlongArray state) {
    Subject s;
    guarded_void(env, s, [&] {
        const char* base = bytes == nullptr ? nullptr : static_cast<const char*>(env->GetDirectBufferAddress(bytes));
        const jlong capacity = bytes == nullptr ? -1 : env->GetDirectBufferCapacity(bytes);
        if (base == nullptr || capacity < 0) throw invalid("the bytes are not a direct buffer");
        if (offset < 0 || length < 0 || static_cast<jlong>(offset) + length > capacity || at < 0)
            throw invalid("bytes [" + std::to_string(offset) + ", +" + std::to_string(length) + ") outside a buffer of " +
                          std::to_string(capacity));
        if (state == nullptr || env->GetArrayLength(state) != 8) throw invalid("the state needs 8 longs");
        // RecordScan.state's order: quoted, quotes, newlines, first end, lines to it, content before, records after, content.
        jlong v[8];
        env->GetLongArrayRegion(state, 0, 8, v);
        text::RecordScanState st;
        st.quoted = v[0] != 0;
        st.quotes = static_cast<uint64_t>(v[1]);
        st.newlines = static_cast<uint64_t>(v[2]);
        st.first_end = v[3];
        st.lines_to_first_end = static_cast<uint64_t>(v[4]);
        st.content_before = v[5] != 0;
        st.records_after = static_cast<uint64_t>(v[6]);
        st.content = v[7] != 0;
        text::scan_records(base + offset, static_cast<std::size_t>(length), static_cast<uint64_t>(at), st);
        const jlong out[8] = {st.quoted, static_cast<jlong>(st.quotes), static_cast<jlong>(st.newlines), st.first_end,
                              static_cast<jlong>(st.lines_to_first_end), st.content_before, static_cast<jlong>(st.records_after),
                              st.content};
        env->SetLongArrayRegion(state, 0, 8, out);
    });
}
