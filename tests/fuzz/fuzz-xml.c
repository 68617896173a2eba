/* fuzz-xml.c - libFuzzer target holding the XML fast path to expat: for
 * any input, xml_parse() (util/xml-scan.c when it takes the document) and
 * xml_parse_reference() (expat alone) must both fail or both succeed with
 * the same events. A disagreement aborts, so libFuzzer keeps the input. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>

#include "tests/xml-agree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!agree((const char *)data, size))
		abort();
	return 0;
}
