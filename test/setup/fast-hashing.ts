import { useScryptCost } from '../../src/password/hashing/scrypt';

// Like Django's test settings with a fast hasher: real scrypt, a 1 MiB cost instead of
// production's 16 MiB (~1 ms instead of ~100 ms a hash), for the hundreds of logins the
// suite makes. test/passwords.hash.test.ts checks production's parameters and cost.
useScryptCost({ N: 2 ** 10, r: 8, p: 1 });
