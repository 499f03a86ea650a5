/* Project declaration of launch_activate_socket (<launch.h>): see README.md. */
#pragma once
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
int launch_activate_socket(const char *name, int **fds, size_t *cnt);
#ifdef __cplusplus
}
#endif
