"""Jupyter's own kernel conformance suite (jupyter_kernel_test) against gradlab.

Every sample attribute is filled, so that no test of the suite skips. Run by
kernel/jupyter_test.go with the gradlab kernelspec installed.
"""
import unittest

import jupyter_kernel_test


class GradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "something went wrong")'

    completion_samples = [
        {"text": "fmt.Sprin", "matches": {"Sprint", "Sprintf", "Sprintln"}},
        {"text": "strings.ToU", "matches": {"ToUpper", "ToUpperSpecial"}},
    ]
    complete_code_samples = ["x := 1", "fmt.Println(1)", "func f() int { return 1 }", "for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}"]
    incomplete_code_samples = ["for i := 0; i < 3; i++ {", "fmt.Println(", "x := 1 +", "type T struct {"]
    invalid_code_samples = ["x := )", "}"]

    code_page_something = "fmt.Println?"
    code_generate_error = 'panic("boom")'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"go" + "pher"', "result": '"gopher"'},
        {"code": "6 * 7", "result": "42"},
    ]
    code_display_data = [
        {"code": 'display.HTML("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.Markdown("# title")', "mime": "text/markdown"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1*2"
    code_inspect_sample = "fmt.Println"
    code_clear_output = "display.ClearOutput(false)"


if __name__ == "__main__":
    unittest.main()
