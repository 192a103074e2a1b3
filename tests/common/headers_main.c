/* SPDX-License-Identifier: BSD-3-Clause */
/* The headers_standalone test passes by compiling; running it checks nothing more. */
int
main(void)
{
	return 0;
}
