"""The phone reads a typed whole number exactly as the server does."""

from server.core.validate import whole_number

TYPED = ["45", "0", "007", "٤٥", "۴۵", "1٢", "123456789", "1234567890", "²", "1e3", "-0", "+5",
         "4.5", "", " 5", "٤٥x", "五", "１２"]


def test_phone_and_server_read_whole_numbers_alike(new_context):
    page = new_context().new_page()
    page.goto("/login")
    phone = page.evaluate("""async (typed) => {
        const { wholeNumber } = await import("/static/js/forms.js");
        return typed.map((text) => wholeNumber(text));
    }""", TYPED)
    assert phone == [whole_number(text) for text in TYPED]
