#!/bin/sh
# /check of the nested KVM environment (tests/kvm/nested.sh).  Runs inside
# a Linux guest under QEMU's TCG, started by tests/linux/init.sh, which
# powers off when this returns.  Loads KVM (AMD SVM, which TCG emulates)
# in dependency order, checks /dev/kvm, then runs /tern/cmd (a shell
# script from the host) in /tern with tern on the PATH.  What the host
# reads from the console:
#   tern-nested: kvm ready at N.NN s    the modules loaded, /dev/kvm is there
#   tern-nested: no kvm: why            it is not (the command still runs)
#   tern-nested: begin                  then the command's output
#   tern-nested: alive                  every 20 s while it runs
#   tern-nested: status N               its exit status, the last line
cd /tern || exit 1
export PATH=/tern/build:/bin:/sbin
for m in irqbypass ccp kvm kvm_amd; do
    err=$(modprobe "$m" 2>&1) || echo "tern-nested: modprobe $m failed: $err"
done
if [ -c /dev/kvm ]; then
    read -r up _ </proc/uptime
    echo "tern-nested: kvm ready at $up s"
else
    echo "tern-nested: no kvm: /dev/kvm missing after loading kvm_amd" \
         "(svm in cpuinfo: $(grep -c -w svm /proc/cpuinfo))"
fi
echo "tern-nested: begin"
# the heartbeat nested.sh watches: it stops only when this whole machine
# does (QEMU or the nested kernel wedged), not when a test hangs in it
( while sleep 20; do echo "tern-nested: alive"; done ) &
beat=$!
sh /tern/cmd </dev/null 2>&1
st=$?
kill "$beat"
echo "tern-nested: status $st"
