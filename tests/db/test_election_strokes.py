"""The ballot's 姓氏笔画 order against published examples.

Published practice (“姓名笔画的排列方法”, https://blog.sina.com.cn/s/blog_5f30e1eb0100t3d9.html, 2011; the same rules
in “姓名姓氏笔画排序规则及区别”, https://m.wenku365.com/p-6137850.html): by the strokes of the first character;
复姓 by the first character, not by the total (“‘欧阳少东’与‘洪少东’，笔画少的‘欧’应排在‘洪’之前”); the same
surname by the next character (“‘李一鸣’排在‘李大鸣’之前”); a single given name as a blank before its character
(“‘高富’排在‘高大富’之前”, the 党代会 practice); equal strokes by the first stroke 横竖撇点折 (“‘王’与‘文’相比，‘王’起笔是
横，‘文’起笔是点，‘王’排在‘文’之前”). Stroke counts: Unihan kTotalStrokes (王 4, 李 7, 张 7, 刘 6, 陈 7, 欧 8, 司 5,
丁 2, 于 3, 马 3).
"""

from __future__ import annotations

from db.elections import split_name, stroke_order
from db.elections.strokes import first_stroke_table, strokes


def test_surnames_in_stroke_order() -> None:
    names = ["王", "李", "张", "刘", "陈", "欧阳", "司马", "丁", "于", "马"]
    # 丁2; 于3 (起笔横) 马3 (起笔折); 王4; 司5 (复姓司马); 刘6; 李7 (横) 张7 (折) 陈7 (折, later code point); 欧8
    assert stroke_order(names) == ["丁", "于", "马", "王", "司马", "刘", "李", "张", "陈", "欧阳"]


def test_published_examples() -> None:
    assert stroke_order(["王小宁", "丁小宁"]) == ["丁小宁", "王小宁"]
    assert stroke_order(["洪少东", "欧阳少东"]) == ["欧阳少东", "洪少东"]
    assert stroke_order(["李大鸣", "李一鸣"]) == ["李一鸣", "李大鸣"]
    assert stroke_order(["高大富", "高富"]) == ["高富", "高大富"]
    assert stroke_order(["文", "王"]) == ["王", "文"]


def test_compound_surnames_are_one_surname() -> None:
    assert split_name("欧阳修") == ("欧阳", "修")
    assert split_name("诸葛亮") == ("诸葛", "亮")
    assert split_name("上官婉儿") == ("上官", "婉儿")
    assert split_name("司马光") == ("司马", "光")
    assert split_name("王芳") == ("王", "芳")
    # one surname: 欧阳华 stays with the 欧阳 family, after every single 欧 surname
    assert stroke_order(["欧阳华", "欧文", "欧阳一"]) == ["欧文", "欧阳一", "欧阳华"]


def test_the_tables_hold_the_published_counts() -> None:
    assert {c: strokes(c) for c in "王李张刘陈欧司丁于马"} == {
        "王": 4, "李": 7, "张": 7, "刘": 6, "陈": 7, "欧": 8, "司": 5, "丁": 2, "于": 3, "马": 3,
    }  # fmt: skip
    first = first_stroke_table()
    assert [first[c] for c in "王文李张"] == [0, 3, 0, 4]  # 横, 点, 横, 折
