/* Runs a program the way systemd's MemoryDenyWriteExecute=yes would: the process may never map
 * memory writable and executable, nor make writable memory executable (PR_SET_MDWE, Linux 6.3+;
 * systemd uses seccomp for the same rule). The package test starts the installed host under it
 * so that loading the plugins with dlopen is shown to work in the shipped sandbox. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: mdwe_exec PROGRAM [ARG...]\n");
        return 64;
    }
    if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0) {
        fprintf(stderr, "mdwe_exec: PR_SET_MDWE: %s\n", strerror(errno));
        return 70;
    }
    execv(argv[1], argv + 1);
    fprintf(stderr, "mdwe_exec: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
