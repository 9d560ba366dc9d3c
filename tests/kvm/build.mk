# tests/kvm: KVM tests that need no hardware virtualisation on the host
# (docs/kvm.md, "Testing without hardware virtualisation").
#
#   $(O)/tests/kvm/kvm-smoke     a bare /dev/kvm check (no tern), run inside
#                                tests/kvm/nested.sh's guest
#   make check-kvm               only the KVM suite (suite-kvm.sh), failing
#                                on any FAIL

KVM_SMOKE := $(O)/tests/kvm/kvm-smoke

$(KVM_SMOKE): $(O)/tests/kvm/kvm-smoke.o
	$(CC) $(LDFLAGS) -o $@ $^

.PHONY: check-kvm
check: $(KVM_SMOKE)
check-kvm: all tests-x86 $(KVM_SMOKE) guest
	@O=$(O) TERN=$(RUN_TERN) sh tests/scripts/suite-kvm.sh | tee $(O)/check-kvm.log; \
	  ! grep -q "^FAIL " $(O)/check-kvm.log
