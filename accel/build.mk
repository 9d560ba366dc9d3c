# accel: objects this directory adds to tern
