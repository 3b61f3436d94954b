// Runs a function in a forked child and reports how it ended, plus a message the child wrote.
// The child never returns into gtest: it leaves with _exit, so no destructors or atexit
// handlers of the parent's objects run twice.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <functional>
#include <string>

namespace memshare_test {

struct ChildResult {
    bool exited = false;  // normal exit (then `code`), else killed by `signal`
    int code = -1;
    int signal = 0;
    std::string message;  // what the child put in its message
    std::string describe() const {
        return (exited ? "exit " + std::to_string(code) : "signal " + std::to_string(signal)) +
               (message.empty() ? "" : ": " + message);
    }
};

// fn(message) returns the child's exit code; exceptions become exit code 99.
inline ChildResult run_in_child(const std::function<int(std::string&)>& fn) {
    int fds[2];
    ChildResult r;
    if (pipe(fds) != 0) {
        r.message = "pipe failed";
        return r;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        r.message = "fork failed";
        close(fds[0]);
        close(fds[1]);
        return r;
    }
    if (pid == 0) {
        close(fds[0]);
        std::string msg;
        int code;
        try {
            code = fn(msg);
        } catch (const std::exception& e) {
            msg += std::string(" uncaught exception: ") + e.what();
            code = 99;
        } catch (...) {
            msg += " uncaught exception";
            code = 99;
        }
        std::size_t done = 0;
        while (done < msg.size()) {
            const ssize_t n = write(fds[1], msg.data() + done, msg.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        close(fds[1]);
        _exit(code);
    }
    close(fds[1]);
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) r.message.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            r.message += " (waitpid failed)";
            return r;
        }
    }
    if (WIFEXITED(status)) {
        r.exited = true;
        r.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

}  // namespace memshare_test
