# block: disk images (docs/block.md)
tern-obj += block/block.o block/raw.o block/overlay.o block/drive.o
