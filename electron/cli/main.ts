process.stdout.write('provisim: not built yet\n');
