#!/usr/bin/env bash
# gradlab's main job: build gradlab, register it with Jupyter, execute the
# shipped notebooks headlessly with nbconvert, and say where the executed
# copies are. Installs Go's modules and Debian's Jupyter when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. install/deps.sh

need_go
need_modules
need_jupyter
need_datasets

echo "gradlab: building"
go install .
gradlab install # need_go put go install's directory first on PATH

out=${GRADLAB_OUT:-out/notebooks}
mkdir -p "$out"
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || die "no notebooks in notebooks/"
failed=0
for nb in "${notebooks[@]}"; do
	echo "gradlab: executing $nb"
	# A notebook with widgets gets a short cell timeout: nbclient can miss
	# a reply while it answers an output widget, and then waits for the
	# timeout (README.md, "Known problems"); its cells take a second.
	timeout=1200
	grep -q 'widgets\.' "$nb" && timeout=90
	if ! jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=$timeout \
		--ExecutePreprocessor.kernel_name=gradlab --output-dir "$out" "$nb" 2>"$out/$(basename "$nb" .ipynb).log"; then
		echo "gradlab: $nb FAILED (log: $out/$(basename "$nb" .ipynb).log)" >&2
		failed=1
	fi
done
echo
echo "Executed notebooks are in $(cd "$out" && pwd):"
for nb in "${notebooks[@]}"; do
	[ -f "$out/$(basename "$nb")" ] && echo "  $(cd "$out" && pwd)/$(basename "$nb")"
done
echo "Open them with: jupyter notebook $(cd "$out" && pwd)"
exit $failed
