// SPDX-License-Identifier: GPL-2.0
// Runs a fuzz target over files, without libFuzzer: how the seed corpus
// is replayed in `make test` under ASan and UBSan. Each file runs in a
// child process of its own, so a crash or a sanitizer report fails that
// file alone and the files after it still run; LeakSanitizer checks each
// child as it exits. Prints one result line per file, "ok FILE" or
// "not ok FILE - why" with the first line of the report; the reports go to
// stderr. Exits 1 if any file failed.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// The first line of a sanitizer report in the child's output, without its
// "==PID==" prefix; empty if there is none.
std::string first_report_line(FILE* out) {
  char line[512];
  rewind(out);
  while (fgets(line, sizeof line, out)) {
    if (!strstr(line, "ERROR: ") && !strstr(line, "runtime error:")) continue;
    std::string s(line);
    if (s.rfind("==", 0) == 0) {
      size_t end = s.find("==", 2);
      if (end != std::string::npos) s.erase(0, end + 2);
    }
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  return "";
}

// Copies the child's output to stderr, where the suite log keeps it.
void copy_to_stderr(FILE* out) {
  char buf[4096];
  size_t n;
  rewind(out);
  while ((n = fread(buf, 1, sizeof buf, out)) > 0) fwrite(buf, 1, n, stderr);
}

// Runs one file in a child; returns why it failed, or "" if it passed.
std::string replay(const char* path) {
  FILE* out = tmpfile();
  if (!out) return std::string("tmpfile: ") + strerror(errno);
  // Nothing buffered may be written twice, once by each process.
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    fclose(out);
    return std::string("fork: ") + strerror(errno);
  }
  if (pid == 0) {
    dup2(fileno(out), STDOUT_FILENO);
    dup2(fileno(out), STDERR_FILENO);
    std::vector<uint8_t> data;
    {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
      }
      data.assign(std::istreambuf_iterator<char>(in), {});
    }
    LLVMFuzzerTestOneInput(data.data(), data.size());
    // exit(), not _exit(): LeakSanitizer checks at exit.
    exit(0);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      fclose(out);
      return std::string("waitpid: ") + strerror(errno);
    }
  }
  copy_to_stderr(out);
  std::string report = first_report_line(out);
  fclose(out);
  std::string why;
  if (WIFSIGNALED(status))
    why = std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  else if (WEXITSTATUS(status) != 0)
    why = "exit " + std::to_string(WEXITSTATUS(status));
  else
    return "";
  return report.empty() ? why : why + ": " + report;
}

}  // namespace

int main(int argc, char** argv) {
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    std::string why = replay(argv[i]);
    if (why.empty()) {
      printf("ok %s\n", argv[i]);
    } else {
      printf("not ok %s - %s\n", argv[i], why.c_str());
      failed = 1;
    }
    fflush(stdout);
  }
  return failed;
}
