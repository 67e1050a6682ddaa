// A claimed number written right beside a formula, as in `$s =$ <var data-claim>0.04</var>`,
// reads as part of the formula: mark it so that book.css sets it in the formula's font.
// (CSS alone cannot tell "$x =$ 0.5" from "$x$ is 0.5": sibling selectors skip text.)
(function () {
    'use strict';
    var glue = /^[\s=≈<>≤≥×·]*$/;
    function besideMath(node, step) {
        for (var n = node[step]; n; n = n[step]) {
            if (n.nodeType === Node.TEXT_NODE) {
                if (!glue.test(n.textContent)) return false;
                continue;
            }
            return n.nodeType === Node.ELEMENT_NODE && n.classList.contains('katex');
        }
        return false;
    }
    document.querySelectorAll('main var[data-claim]').forEach(function (v) {
        if (besideMath(v, 'previousSibling') || besideMath(v, 'nextSibling')) {
            v.classList.add('in-math');
        }
    });
})();
