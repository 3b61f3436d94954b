// Naming policy: R-compatible names on every platform, platform length limits, and rejection of
// names that would escape or break the OS namespace, with messages that say what and why.
#include <gtest/gtest.h>

#include <string>

#include "memshare/error.hpp"
#include "memshare/naming.hpp"

using memshare::Error;
using memshare::ErrorCode;
using memshare::Platform;
using memshare::segment_names;

namespace {

// Runs segment_names expecting InvalidName; returns the message.
std::string invalid_name_message(std::string_view ns, std::string_view var, Platform p) {
    try {
        segment_names(ns, var, p);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidName) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no error for namespace '" << ns << "', variable '" << var << "'";
    return "";
}

}  // namespace

TEST(Naming, LinuxUsesRNames) {
    const auto n = segment_names("rns", "X", Platform::Linux);
    EXPECT_EQ(n.data, "rns.X");
    EXPECT_EQ(n.metadata, "rns.md.X");
}

TEST(Naming, MacOSUsesRNames) {
    const auto n = segment_names("rns", "y", Platform::MacOS);
    EXPECT_EQ(n.data, "rns.y");
    EXPECT_EQ(n.metadata, "rns.md.y");
}

TEST(Naming, WindowsPrefixesLocal) {
    const auto n = segment_names("rns", "X", Platform::Windows);
    EXPECT_EQ(n.data, "Local\\rns.X");
    EXPECT_EQ(n.metadata, "Local\\rns.md.X");
}

TEST(Naming, HostPlatformIsLinuxHere) {
#if defined(__linux__)
    EXPECT_EQ(memshare::host_platform(), Platform::Linux);
    EXPECT_EQ(segment_names("a", "b").metadata, "a.md.b");
#endif
}

TEST(Naming, PlatformLimits) {
    EXPECT_EQ(memshare::max_segment_name_length(Platform::Linux), 255u);
    EXPECT_EQ(memshare::max_segment_name_length(Platform::MacOS), 31u);
    EXPECT_EQ(memshare::max_segment_name_length(Platform::Windows), 260u);
}

TEST(Naming, MacOSMetadataNameOf31Accepted) {
    // "<ns>.md.<var>": 4 extra characters; 13 + 4 + 14 = 31.
    const std::string ns(13, 'n'), var(14, 'v');
    const auto n = segment_names(ns, var, Platform::MacOS);
    EXPECT_EQ(n.metadata.size(), 31u);
    EXPECT_EQ(n.data.size(), 28u);
}

TEST(Naming, MacOSMetadataNameOf32Rejected) {
    // The data name (29 characters) would fit; the metadata name (32) does not.
    const std::string ns(13, 'n'), var(15, 'v');
    const std::string msg = invalid_name_message(ns, var, Platform::MacOS);
    EXPECT_NE(msg.find(ns + ".md." + var), std::string::npos) << msg;
    EXPECT_NE(msg.find("32"), std::string::npos) << msg;
    EXPECT_NE(msg.find("31"), std::string::npos) << msg;
    EXPECT_NE(msg.find("macOS"), std::string::npos) << msg;
    // The same name is fine on Linux.
    EXPECT_NO_THROW(segment_names(ns, var, Platform::Linux));
}

TEST(Naming, LinuxBoundary255) {
    const std::string ns = "ns";  // "ns.md." is 6 characters
    EXPECT_EQ(segment_names(ns, std::string(249, 'v'), Platform::Linux).metadata.size(), 255u);
    const std::string msg = invalid_name_message(ns, std::string(250, 'v'), Platform::Linux);
    EXPECT_NE(msg.find("256"), std::string::npos) << msg;
    EXPECT_NE(msg.find("255"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Linux"), std::string::npos) << msg;
}

TEST(Naming, WindowsBoundaryCountsLocalPrefix) {
    // "Local\" (6) + "ns.md." (6) + var: 248 characters of var make 260.
    EXPECT_EQ(segment_names("ns", std::string(248, 'v'), Platform::Windows).metadata.size(), 260u);
    const std::string msg = invalid_name_message("ns", std::string(249, 'v'), Platform::Windows);
    EXPECT_NE(msg.find("260"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Windows"), std::string::npos) << msg;
}

TEST(Naming, EmptyPartsRejected) {
    for (Platform p : {Platform::Linux, Platform::MacOS, Platform::Windows}) {
        std::string msg = invalid_name_message("", "X", p);
        EXPECT_NE(msg.find("namespace"), std::string::npos) << msg;
        EXPECT_NE(msg.find("empty"), std::string::npos) << msg;
        msg = invalid_name_message("ns", "", p);
        EXPECT_NE(msg.find("variable"), std::string::npos) << msg;
        EXPECT_NE(msg.find("empty"), std::string::npos) << msg;
    }
}

TEST(Naming, SlashRejectedNamingValueAndRule) {
    for (Platform p : {Platform::Linux, Platform::MacOS, Platform::Windows}) {
        std::string msg = invalid_name_message("a/b", "X", p);
        EXPECT_NE(msg.find("namespace"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'a/b'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'/'"), std::string::npos) << msg;
        msg = invalid_name_message("ns", "../etc", p);
        EXPECT_NE(msg.find("variable"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'../etc'"), std::string::npos) << msg;
    }
}

TEST(Naming, BackslashRejectedNamingValueAndRule) {
    for (Platform p : {Platform::Linux, Platform::MacOS, Platform::Windows}) {
        std::string msg = invalid_name_message("ns", "Global\\X", p);
        EXPECT_NE(msg.find("variable"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Global\\X"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'\\'"), std::string::npos) << msg;
        msg = invalid_name_message("a\\b", "X", p);
        EXPECT_NE(msg.find("namespace"), std::string::npos) << msg;
    }
}

TEST(Naming, NulRejectedAndShownEscaped) {
    const std::string var("ab\0cd", 5);
    for (Platform p : {Platform::Linux, Platform::MacOS, Platform::Windows}) {
        const std::string msg = invalid_name_message("ns", var, p);
        EXPECT_NE(msg.find("variable"), std::string::npos) << msg;
        EXPECT_NE(msg.find("NUL"), std::string::npos) << msg;
        // The value is named, with the NUL made visible rather than cutting the message short.
        EXPECT_NE(msg.find("ab\\x00cd"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\0'), std::string::npos);
    }
    const std::string msg = invalid_name_message(std::string("n\0s", 3), "X", Platform::Linux);
    EXPECT_NE(msg.find("namespace"), std::string::npos) << msg;
}

TEST(Naming, ValidateNamePartAlone) {
    EXPECT_NO_THROW(memshare::validate_name_part("fine.name-1", "variable"));
    try {
        memshare::validate_name_part("x/y", "namespace");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidName);
        EXPECT_NE(std::string(e.what()).find("namespace name 'x/y'"), std::string::npos) << e.what();
    }
}

TEST(Naming, DotsAndUnicodeAllowed) {
    const auto n = segment_names("my.ns", "X_1-\xc3\xa9", Platform::Linux);
    EXPECT_EQ(n.data, "my.ns.X_1-\xc3\xa9");
    EXPECT_EQ(n.metadata, "my.ns.md.X_1-\xc3\xa9");
}
