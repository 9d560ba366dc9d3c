# tests/diff: the differential tester (host CPU vs tern) and the decoder
# cross-check (tern's decoder vs capstone).  See docs/testing.md.
#
#   $(O)/tests/diff/difftest        host tool: runs sequences natively and in tern
#   $(O)/tests/diff/difftest.elf    guest: runs the same sequences inside tern
#   $(O)/tests/diff/decodecheck     tern's decoder vs capstone on random bytes
#   $(O)/tests/diff/bcdcheck        every DAA..AAD input natively (compat mode) vs tern's model
#
#   make difftest N=<count> SEED=<seed>   any number of sequences (batches of
#                                         DIFF_BATCH per tern run), then the
#                                         full decoder cross-check (DECODE_N)
#   make difftest-corpus                  (x86-64 hosts) rewrite tests/diff/corpus.txt,
#                                         the recorded native results that
#                                         difftest --replay checks tern against
#                                         where the host is not x86
#
# The guest part uses the guest compiler, flags and runtime of tests/x86.

# runner.S runs sequences on the host CPU: x86-64 hosts only; elsewhere
# difftest only replays the corpus and bcdcheck (native by nature) is not built
DIFF_HOST_OBJS := $(addprefix $(O)/tests/diff/host/,difftest.o gen.o classes.o classes-fp.o classes32.o)
DIFF_GUEST_OBJS := $(addprefix $(O)/tests/diff/guest/,guest.o gen.o classes.o classes-fp.o classes32.o runner.o)
DIFF_TOOLS := $(O)/tests/diff/difftest $(O)/tests/diff/decodecheck
ifeq ($(HOST_CPU),x86_64)
DIFF_HOST_OBJS += $(O)/tests/diff/host/runner.o $(O)/tests/diff/host/native.o
DIFF_TOOLS += $(O)/tests/diff/bcdcheck
endif
DIFF_ELF := $(O)/tests/diff/difftest.elf

$(O)/tests/diff/host/%.o: tests/diff/%.c $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<
$(O)/tests/diff/host/%.o: tests/diff/%.S $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<
$(O)/tests/diff/guest/%.o: tests/diff/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(O)/tests/diff/guest/%.o: tests/diff/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(O)/tests/diff/difftest: $(DIFF_HOST_OBJS) $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(O)/tests/diff/decodecheck: $(addprefix $(O)/tests/diff/host/,decodecheck.o gen.o classes.o classes-fp.o classes32.o) $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(O)/tests/diff/bcdcheck: $(addprefix $(O)/tests/diff/host/,bcdcheck.o gen.o classes.o classes-fp.o classes32.o runner.o native.o) $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(DIFF_ELF): $(DIFF_GUEST_OBJS) $(GUEST_RT_OBJS) $(GUEST_LDS)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

.PHONY: tests-diff difftest difftest-corpus
tests-diff: $(DIFF_TOOLS) $(DIFF_ELF)
check: tests-diff

N ?= 100000
SEED ?= 1
DIFF_BATCH ?= 5000
DECODE_N ?= 1000000
difftest: all tests-diff
	$(HOST_EXEC) $(O)/tests/diff/difftest -n $(N) -s $(SEED) -b $(DIFF_BATCH) --tern $(RUN_TERN) --elf $(DIFF_ELF); \
	  st=$$?; $(HOST_EXEC) $(O)/tests/diff/decodecheck -n $(DECODE_N) -s $(SEED) \
	    -e tests/diff/capstone-errata.txt -k tests/diff/decoder-bugs.txt && test $$st -eq 0

# The corpus: CORPUS_N sequences of the suite's seed, recorded on this host's
# CPU (after checking tern against it: a mismatch leaves the old corpus).
CORPUS_N ?= 12000
difftest-corpus: all tests-diff
	$(HOST_EXEC) $(O)/tests/diff/difftest -n $(CORPUS_N) -s 0x5eed --tern $(RUN_TERN) --elf $(DIFF_ELF) \
	    --record tests/diff/corpus.txt.new && mv tests/diff/corpus.txt.new tests/diff/corpus.txt
