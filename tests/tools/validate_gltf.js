// Validates glTF files with the Khronos glTF validator (npm: gltf-validator), for
// tests/regression/test_gltf_export.cpp. Usage: node validate_gltf.js VALIDATOR_DIR FILE...
// Prints each file's error, warning and info counts and its first messages; exits 1 when any
// file has an error.
const validator = require(process.argv[2]);
const fs = require('fs');
(async () => {
  let errors = 0;
  for (const file of process.argv.slice(3)) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)));
    const issues = report.issues;
    errors += issues.numErrors;
    console.log(`${file}: errors ${issues.numErrors} warnings ${issues.numWarnings} infos ${issues.numInfos}`);
    for (const m of issues.messages.slice(0, 10))
      console.log(`  ${m.severity} ${m.code} ${m.message} ${m.pointer || ''}`);
  }
  process.exit(errors > 0 ? 1 : 0);
})();
