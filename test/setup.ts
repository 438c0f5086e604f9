// Property tests run with a fixed seed, like everything random in patina: a CI run is repeatable.
import fc from "fast-check";

fc.configureGlobal({ seed: 20261121 });
