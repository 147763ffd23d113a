"""What an exported train_gpt.py ships in place of golfkit's input checks (golfkit/export.py SHIPPED_TWINS).

An exported script reads only its own config (checked whole when it was exported; the challenge's
environment variables are checked by golfkit/submission.py against the config's ranges, and the model
size they set against golfkit.limits' ceiling, which golfkit/twins.py appends to limits.py here) and the
artifact it has just written itself. The modules that check input from elsewhere (golfkit.safeio,
golfkit.limits, golfkit.artifact_table, and golfkit.inflate's bounded streaming) are shipped as these
twins: the same names and signatures, the same results on valid input, no checks. Nothing in golfkit imports them; a golfkit user always
runs the real checks. tests/test_export.py holds each twin to its original's names and signatures.
"""
