//! Unit tests of the annex stage: tables of the shapes documents give, written for these tests.
