from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters OWASP's password storage guidance gives as its first
    choice: 19 MiB of memory, 2 iterations, 1 lane.

    Django's own Argon2 parameters (100 MiB, 8 lanes) took longer than PBKDF2 on our
    2-core machines (bench/login.py). Hashes made with other parameters are rehashed with
    these at the next sign-in; the algorithm name stays "argon2".
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
